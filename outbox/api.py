"""What the rest of the project calls to have work done after the current transaction commits."""

import uuid

from django.db import IntegrityError, transaction

from .models import OutboxMessage


def enqueue(task_name: str, payload: dict, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Record `task_name(message_id)` to run once the surrounding transaction commits.

    Returns None when a message with the same dedupe_key exists already (the work is in hand).
    """
    key = dedupe_key or f"{task_name}:{uuid.uuid4()}"
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(task_name=task_name, payload=payload, dedupe_key=key)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _relay_one(message.pk))
    return message


def enqueue_email(recipients, subject: str, body: str, dedupe_key: str | None = None, html_body: str = ""):
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return None
    return enqueue(
        "outbox.tasks.send_email",
        {"to": recipients, "subject": subject, "body": body, "html_body": html_body},
        dedupe_key=dedupe_key,
    )


def _relay_one(message_id):
    from .relay import relay_message

    relay_message(message_id)
