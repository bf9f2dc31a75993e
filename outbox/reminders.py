"""Deadlines and reminders, run by beat (`outbox.tasks.send_due_reminders`, every 15 minutes).

Each reminder belongs to a period (the n-th week a review has been waiting, a half-year, a name
change); its key names the period, and SentReminder.key is unique in the database, so a reminder is
sent once per period, never twice, even when two schedulers run by mistake: the second insert fails
and its e-mail is never written (same transaction).

- Provincial review: the province's officers are reminded after 14 days waiting, then every 7 days.
- After registration: the half-year report is due within 30 days after the end of March and of
  September; the committee is reminded when that window opens. A change of name, or a dissolution
  (the network is taken off the site), must be reported within 30 days; the committee is reminded once.
"""

import datetime
import hashlib
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.thaidate import format_date_for_language

from .api import enqueue_email
from .models import SentReminder

logger = logging.getLogger(__name__)

PROVINCIAL_FIRST_REMINDER_DAYS = 14
PROVINCIAL_REMINDER_EVERY_DAYS = 7
REPORT_WINDOW_DAYS = 30
HALF_YEAR_ENDS = ((3, 31), (9, 30))  # end of March, end of September
CHANGE_REPORT_DAYS = 30


def send_reminder(key: str, kind: str, recipients, subject: str, body: str) -> bool:
    """Send one reminder unless its key was used before. True when it was sent (queued) now."""
    recipients = [r for r in recipients if r]
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


def _bilingual(builder, **values):
    """(subject, body) with the Thai text first and the English text after it."""
    parts = []
    for language in ("th", "en"):
        with translation.override(language):
            parts.append(builder(**values))
    subject = f"{parts[0][0]} / {parts[1][0]}" if parts[0][0] != parts[1][0] else parts[0][0]
    body = parts[0][1] if parts[0][1] == parts[1][1] else f"{parts[0][1]}\n\n----------\n\n{parts[1][1]}"
    return subject, body


def _date(value):
    return format_date_for_language(value, translation.get_language())


def _emails(users):
    return sorted({u.email for u in users if u.email})


# --- Provincial review --------------------------------------------------------------------------------


def provincial_review_states():
    """Task states waiting for a provincial officer, the longest-waiting first."""
    from wagtail.models import TaskState

    from workflows.models import ProvincialReviewTask

    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__in=ProvincialReviewTask.objects.all()
        )
        .select_related("workflow_state", "task")
        .order_by("started_at", "pk")
    )


def days_waiting(task_state, now=None):
    return ((now or timezone.now()) - task_state.started_at).days


def is_overdue(task_state, now=None):
    return days_waiting(task_state, now) >= PROVINCIAL_FIRST_REMINDER_DAYS


def provincial_reminder_period(waited_days: int) -> int | None:
    """None before day 14; then 0 (day 14–20), 1 (day 21–27), …: one reminder per period."""
    if waited_days < PROVINCIAL_FIRST_REMINDER_DAYS:
        return None
    return (waited_days - PROVINCIAL_FIRST_REMINDER_DAYS) // PROVINCIAL_REMINDER_EVERY_DAYS


def _provincial_text(page, waited, started):
    subject = _("Reminder: provincial review waiting %(days)s days: %(title)s") % {"days": waited, "title": page.title}
    body = _(
        "The application “%(title)s” has been waiting for provincial review since %(date)s (%(days)s days).\n"
        "Please forward it, request changes or reject it.\n%(url)s"
    ) % {"title": page.title, "date": _date(started), "days": waited, "url": _admin_edit_url(page)}
    return subject, body


def _admin_edit_url(page):
    from django.conf import settings
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])


def remind_provincial_reviews(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for task_state in provincial_review_states():
        waited = days_waiting(task_state, now)
        period = provincial_reminder_period(waited)
        if period is None:
            break  # ordered by start: the rest waited less
        page = task_state.workflow_state.content_object
        if page is None:
            continue
        page = page.specific
        recipients = _emails(task_state.task.specific.get_actor_users(page))
        subject, body = _bilingual(_provincial_text, page=page, waited=waited, started=task_state.started_at)
        if send_reminder(f"provincial-review:{task_state.pk}:{period}", "provincial_review", recipients, subject, body):
            sent += 1
    return sent


# --- After registration -------------------------------------------------------------------------------


def _committee_emails(network):
    from people.models import CommitteeMembership

    users = get_user_model().objects.filter(
        is_active=True,
        pk__in=CommitteeMembership.objects.active()
        .filter(network=network, role__in=["chair", "secretary"])
        .values("user_id"),
    )
    return _emails(users)


def open_report_period(today: datetime.date):
    """(period end, due date) when `today` falls within 30 days after the end of March or of
    September, else None."""
    for month, day in HALF_YEAR_ENDS:
        end = datetime.date(today.year, month, day)
        due = end + datetime.timedelta(days=REPORT_WINDOW_DAYS)
        if end < today <= due:
            return end, due
    return None


def _report_text(entry, period_end, due):
    subject = _("Reminder: half-year report due by %(date)s") % {"date": _date(due)}
    body = _(
        "%(name)s (registration No. %(number)s) must send its report for the half-year ending %(end)s "
        "by %(date)s."
    ) % {"name": entry.organization_name, "number": entry.registration_number, "end": _date(period_end), "date": _date(due)}
    return subject, body


def _name_change_text(entry, new_name, changed_on):
    subject = _("Reminder: report the change of name by %(date)s") % {
        "date": _date(changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS))
    }
    body = _(
        "The network registered as “%(old)s” (registration No. %(number)s) is now named “%(new)s”. "
        "A change of name must be reported to the registrar within %(days)s days, by %(date)s."
    ) % {
        "old": entry.organization_name, "new": new_name, "number": entry.registration_number,
        "days": CHANGE_REPORT_DAYS, "date": _date(changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS)),
    }
    return subject, body


def _dissolution_text(entry, changed_on):
    due = changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS)
    subject = _("Reminder: report the dissolution by %(date)s") % {"date": _date(due)}
    body = _(
        "%(name)s (registration No. %(number)s) has been taken off the site. If the organization is "
        "dissolved, this must be reported to the registrar within %(days)s days, by %(date)s."
    ) % {"name": entry.organization_name, "number": entry.registration_number, "days": CHANGE_REPORT_DAYS, "date": _date(due)}
    return subject, body


def remind_registered_organizations(now=None) -> int:
    from registry.models import RegistryEntry, RegistryStatus

    now = now or timezone.now()
    today = timezone.localdate(now)
    period = open_report_period(today)
    # Runs every 15 minutes: reminders sent already are skipped before anything is asked of the
    # database per organization (the unique key still decides when two schedulers race).
    sent_keys = set(
        SentReminder.objects.filter(kind__in=["name_change", "dissolution"]).values_list("key", flat=True)
    )
    if period:
        sent_keys.update(
            SentReminder.objects.filter(
                kind="half_year_report", key__endswith=f":{period[0].isoformat()}"
            ).values_list("key", flat=True)
        )
    sent = 0
    entries = RegistryEntry.objects.filter(status=RegistryStatus.REGISTERED).select_related("network")
    for entry in entries.iterator(chunk_size=500):
        network = entry.network
        due = []  # (key, kind, text builder, its values)
        if period and entry.registered_on <= period[0]:
            due.append((
                f"half-year-report:{entry.pk}:{period[0].isoformat()}", "half_year_report", _report_text,
                {"period_end": period[0], "due": period[1]},
            ))
        if network.title != entry.organization_name:
            digest = hashlib.sha256(network.title.encode()).hexdigest()[:16]
            due.append((
                f"name-change:{entry.pk}:{digest}", "name_change", _name_change_text,
                {"new_name": network.title, "changed_on": timezone.localdate(network.last_published_at or now)},
            ))
        if not network.live:
            due.append((
                f"dissolution:{entry.pk}", "dissolution", _dissolution_text,
                {"changed_on": timezone.localdate(network.latest_revision_created_at or now)},
            ))
        due = [item for item in due if item[0] not in sent_keys]
        if not due:
            continue
        recipients = _committee_emails(network)
        for key, kind, builder, values in due:
            subject, body = _bilingual(builder, entry=entry, **values)
            sent += send_reminder(key, kind, recipients, subject, body)
    return sent


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    return remind_provincial_reviews(now) + remind_registered_organizations(now)
