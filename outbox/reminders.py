"""Reminders, sent by beat (`outbox.tasks.send_due_reminders`, every 15 minutes): the generic part.

The apps that own a deadline write its reminders (workflows.reminders: provincial review;
registry.reminders: the registered organizations' reports) and register them here from their
AppConfig.ready(); the outbox knows no domain.

Each reminder belongs to a period (the n-th week a review has been waiting, a half-year, a name
change); its key names the period, and SentReminder.key is unique in the database, so a reminder is
sent once per period, never twice, even when two schedulers run by mistake: the second insert fails
and its e-mail is never written (same transaction).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .api import email_addresses, enqueue_email
from .models import SentReminder

# The periodic reminder functions, `func(now) -> how many were sent`, in the order they registered.
_periodic_reminders = []


def register_periodic_reminders(func):
    """Have beat call `func(now)` with every run of send_due_reminders; returns `func` (a decorator)."""
    if func not in _periodic_reminders:
        _periodic_reminders.append(func)
    return func


def send_reminder(key: str, kind: str, recipients, subject: str, body: str) -> bool:
    """Send one reminder unless its key was used before. True when it was sent (queued) now."""
    recipients = email_addresses(recipients)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            reminder = SentReminder.objects.create(key=key, kind=kind)
            message = enqueue_email(recipients, subject, body, dedupe_key=f"reminder:{key}")
            reminder.message = message
            reminder.save(update_fields=["message"])
    except IntegrityError:
        return False  # sent already (or being sent by another scheduler right now)
    return True


def sent_reminder_keys(**filters):
    """The keys of the reminders sent, of those matching `filters` (SentReminder fields)."""
    return set(SentReminder.objects.filter(**filters).values_list("key", flat=True))


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    return sum(func(now) for func in _periodic_reminders)
