"""Hands pending outbox messages to Celery. When the broker is down the message stays pending and the
periodic relay (beat, or `manage.py relay_outbox`) tries again."""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


def relay_message(message_id) -> bool:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return False
        try:
            current_app.send_task(message.task_name, args=[message.pk]) if not current_app.conf.task_always_eager \
                else current_app.tasks[message.task_name].apply(args=[message.pk])
        except Exception as exc:  # broker down: keep it pending, count the attempt
            logger.warning("Outbox relay of %s failed: %s", message.pk, exc)
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=str(exc)[:2000]
            )
            return False
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.DISPATCHED, dispatched_at=timezone.now()
        )
        return True


def relay_pending(limit=500) -> int:
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if relay_message(pk))
