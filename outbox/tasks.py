"""Celery tasks. Every outbox task takes the id of its OutboxMessage and is idempotent: the message's
status, checked and set under a row lock in the same transaction as the work, makes a second delivery
(a redelivery after a worker died, a second relay) do nothing."""

import datetime
import logging
from functools import wraps

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from . import reminders
from .models import OutboxMessage, OutboxStatus, WorkerPing
from .relay import relay_pending

logger = logging.getLogger(__name__)

TASK_MAX_RETRIES = 6
TASK_BACKOFF_BASE = 60  # seconds: 1, 2, 4, 8, 16, 32 minutes


def task_backoff(retries: int) -> int:
    return TASK_BACKOFF_BASE * (2**retries)


def outbox_task(name, *, max_retries=TASK_MAX_RETRIES, **options):
    """Turn `func(message)` into a Celery task run with the message's id.

    The task is acknowledged late (a worker that dies mid-task leaves it on the queue), retried with
    exponential backoff, and a failure for good marks the message FAILED with its error, which staff
    see in the admin (Settings → Outgoing work) and can send again from there.
    """

    def decorator(func):
        @shared_task(name=name, bind=True, acks_late=True, max_retries=max_retries, **options)
        @wraps(func)
        def task(self, message_id):
            return run_outbox_message(self, func, message_id)

        return task

    return decorator


def run_outbox_message(task, func, message_id):
    now = timezone.now()
    # Committed before the work starts, so staff (and tests) see a run in progress and how many
    # runs there were, even when the worker dies in the middle.
    started = OutboxMessage.objects.filter(pk=message_id).exclude(
        status__in=[OutboxStatus.DONE, OutboxStatus.FAILED]
    ).update(attempts=F("attempts") + 1, started_at=now)
    if not started:
        return "skipped"
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(pk=message_id)
            if message.status in (OutboxStatus.DONE, OutboxStatus.FAILED):
                return "skipped"  # another delivery finished it while this one waited for the lock
            func(message)
            message.status = OutboxStatus.DONE
            message.done_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["status", "done_at", "last_error"])
        return "done"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        eager = bool(task.request.is_eager)
        if eager or task.request.retries >= task.max_retries:
            logger.exception("Outbox message %s failed for good", message_id)
            OutboxMessage.objects.filter(pk=message_id).update(status=OutboxStatus.FAILED, last_error=error)
            if eager:
                return "failed"
            raise
        countdown = task_backoff(task.request.retries)
        logger.warning("Outbox message %s failed, retrying in %ss: %s", message_id, countdown, error)
        # The relay leaves a dispatched message alone until its retry is due (plus the usual grace).
        OutboxMessage.objects.filter(pk=message_id).update(
            last_error=error, dispatched_at=timezone.now() + datetime.timedelta(seconds=countdown)
        )
        raise task.retry(exc=exc, countdown=countdown) from exc


@outbox_task("outbox.tasks.send_email")
def send_email(message):
    data = message.payload
    email = EmailMultiAlternatives(data["subject"], data["body"], to=data["to"])
    if data.get("html_body"):
        email.attach_alternative(data["html_body"], "text/html")
    email.send()


@outbox_task("outbox.tasks.run_django_task")
def run_django_task(message):
    """A Wagtail background task (django-tasks: search index, reference index) run by a worker."""
    data = message.payload
    task = import_string(data["task"])
    func = task.func if isinstance(task, Task) else task
    try:
        func(*data.get("args", []), **data.get("kwargs", {}))
    except ObjectDoesNotExist:
        # Deleted before the worker got to it (a page saved, then deleted): nothing left to index.
        logger.info("Background task %s: its object is gone", data["task"])


@shared_task(name="outbox.ping", bind=True, ignore_result=True, acks_late=False)
def ping(self, token):
    """The liveness probe's question (outbox/liveness.py): answered in the database, which the probe
    reads, so the answer proves the whole round trip (broker, this worker's consumer, the database).
    Acknowledged on receipt: a stale ping is never delivered again."""
    WorkerPing.objects.filter(token=token, answered_at__isnull=True).update(
        answered_at=timezone.now(), answered_by=self.request.hostname or ""
    )


# --- Periodic tasks (beat) ------------------------------------------------------------------------


@shared_task(name="outbox.tasks.relay_outbox", ignore_result=True)
def relay_outbox():
    return relay_pending()


@shared_task(name="outbox.tasks.send_due_reminders", ignore_result=True)
def send_due_reminders():
    return reminders.send_due_reminders()


@shared_task(name="outbox.tasks.prune_outbox", ignore_result=True)
def prune_outbox():
    """Finished messages are kept for OUTBOX_KEEP_DAYS (default 90) for the staff listing."""
    keep = datetime.timedelta(days=getattr(settings, "OUTBOX_KEEP_DAYS", 90))
    deleted, _ = OutboxMessage.objects.filter(status=OutboxStatus.DONE, done_at__lt=timezone.now() - keep).delete()
    return deleted
