"""What the rest of the project calls to have work done after the current transaction commits.

    from outbox.api import enqueue, enqueue_email

Both write a row in the caller's transaction (so the work exists exactly when the decision does) and
relay it to Celery once that transaction commits, within a short time bound (outbox/relay.py: a hung
broker never holds the request; what was not handed over waits for the periodic relay). Nothing here
talks to the broker directly.
"""

import uuid

from django.db import IntegrityError, transaction

from .models import OutboxMessage, OutboxStatus
from .relay import hand_over_after_commit

EMAIL_TASK = "outbox.tasks.send_email"


def enqueue(
    task_name: str, payload: dict, dedupe_key: str | None = None, *, key_is_new: bool = False
) -> OutboxMessage | None:
    """Record `task_name(message_id)` to run once the surrounding transaction commits.

    Returns None when a message with the same dedupe_key exists already (the work is in hand).
    `key_is_new`: the caller made the key up just now (a random id), so it cannot be taken.
    """
    if dedupe_key is None or key_is_new:
        # A fresh key cannot collide: no savepoint (two statements) around the insert.
        key = dedupe_key or f"{task_name}:{uuid.uuid4()}"
        message = OutboxMessage.objects.create(task_name=task_name, payload=payload, dedupe_key=key)
    else:
        try:
            # A savepoint, so that a duplicate key leaves the caller's transaction usable.
            with transaction.atomic():
                message = OutboxMessage.objects.create(task_name=task_name, payload=payload, dedupe_key=dedupe_key)
        except IntegrityError:
            return None
    transaction.on_commit(lambda: _relay_one(message.pk))
    return message


def enqueue_email(recipients, subject: str, body: str, dedupe_key: str | None = None, html_body: str = ""):
    """An e-mail sent by a worker after commit. Recipients are e-mail addresses; empty ones and
    duplicates are dropped, and with no recipient left nothing is recorded (returns None)."""
    recipients = email_addresses(recipients)
    if not recipients:
        return None
    return enqueue(
        EMAIL_TASK,
        {"to": recipients, "subject": str(subject), "body": str(body), "html_body": str(html_body)},
        dedupe_key=dedupe_key,
    )


def email_addresses(recipients):
    """The addresses to write to, sorted: empty ones and duplicates dropped."""
    return sorted({r.strip() for r in recipients if r and r.strip()})


def retry(message: OutboxMessage) -> bool:
    """Put a failed (or stuck) message back in the queue; staff use this from the admin.
    Returns False for a message that is done already."""
    updated = OutboxMessage.objects.filter(pk=message.pk).exclude(status=OutboxStatus.DONE).update(
        status=OutboxStatus.PENDING, next_relay_at=None, relay_attempts=0, attempts=0,
        last_error="", dispatched_at=None, started_at=None,
    )
    if updated:
        transaction.on_commit(lambda: _relay_one(message.pk))
    return bool(updated)


def pending_count() -> int:
    return OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.DISPATCHED]).count()


def _relay_one(message_id):
    hand_over_after_commit(message_id)
