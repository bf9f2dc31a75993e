"""Hands outbox messages to Celery.

When the broker is down a message stays pending, its relay attempts are counted and the next try is
pushed back (30 s, 1 min, 2 min … up to 30 min); the periodic relay (beat every 30 s, or
`manage.py relay_outbox`) picks it up again. A message handed over but never finished (the broker lost
it, a worker died) is handed over again after OUTBOX_REDISPATCH_AFTER: the tasks are idempotent, so a
second delivery does nothing twice.
"""

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

RELAY_BACKOFF_BASE = datetime.timedelta(seconds=30)
RELAY_BACKOFF_MAX = datetime.timedelta(minutes=30)


def relay_backoff(relay_attempts: int) -> datetime.timedelta:
    return min(RELAY_BACKOFF_BASE * (2 ** min(max(relay_attempts - 1, 0), 16)), RELAY_BACKOFF_MAX)


def redispatch_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "OUTBOX_REDISPATCH_AFTER", 15 * 60))


def is_eager() -> bool:
    return bool(current_app.conf.task_always_eager)


SENT, SKIPPED, BROKER_DOWN = "sent", "skipped", "broker down"


def registered_task(name):
    """The task object, importing every app's tasks module first if it is not known yet (outside a
    worker nothing has imported them)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def relay_message(message_id, *, now=None) -> bool:
    """Hand one pending message to Celery. True when handed over (or run, in eager mode)."""
    return _hand_over(message_id, now or timezone.now()) == SENT


def _hand_over(message_id, now) -> str:
    eager = is_eager()
    with transaction.atomic():
        # skip_locked: two relays (two beats by mistake) never hand the same row over at once.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return SKIPPED
        if not eager:
            try:
                current_app.send_task(message.task_name, args=[message.pk])
            except Exception as exc:  # the broker is unreachable: keep it pending, try later
                attempts = message.relay_attempts + 1
                logger.warning("Outbox relay of message %s failed (attempt %s): %s", message.pk, attempts, exc)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    relay_attempts=attempts,
                    next_relay_at=now + relay_backoff(attempts),
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                )
                return BROKER_DOWN
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.DISPATCHED, dispatched_at=now, next_relay_at=None
        )
    if eager:
        # In-process (make run, tests): run it now, outside the relay's lock. The task records its
        # own failure; an error never reaches the request that has already committed.
        registered_task(message.task_name).apply(args=[message.pk], throw=False)
    return SENT


def due_messages(now=None):
    now = now or timezone.now()
    stale = now - redispatch_after()
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_relay_at__isnull=True)
        | Q(status=OutboxStatus.PENDING, next_relay_at__lte=now)
        | Q(status=OutboxStatus.DISPATCHED, dispatched_at__lte=stale)
    )


def relay_pending(limit=500, *, now=None) -> int:
    """Hand over every message that is due; returns how many were handed over."""
    now = now or timezone.now()
    stale = now - redispatch_after()
    # Handed over long ago and never finished: the broker lost it or the worker died. Back to pending.
    OutboxMessage.objects.filter(status=OutboxStatus.DISPATCHED, dispatched_at__lte=stale).update(
        status=OutboxStatus.PENDING, next_relay_at=None
    )
    ids = list(
        due_messages(now).filter(status=OutboxStatus.PENDING).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    relayed = 0
    for pk in ids:
        outcome = _hand_over(pk, now)
        if outcome == SENT:
            relayed += 1
        elif outcome == BROKER_DOWN:
            break  # the rest would fail the same way; they keep their place for the next run
    return relayed
