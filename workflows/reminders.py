"""Provincial review reminders: the province's officers are reminded after the days their step's
Reminders say (workflows.road: 14 days waiting, then every 7 days), one reminder per period (outbox.reminders sends each once). Registered with the outbox's beat
task in WorkflowsConfig.ready()."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from core.i18n import bilingual
from core.thaidate import format_date_for_language
from outbox.reminders import send_reminder

from .models import ProvincialReviewTask

_REMINDERS = ProvincialReviewTask.road_step().reminders
PROVINCIAL_FIRST_REMINDER_DAYS = _REMINDERS.first_after_days
PROVINCIAL_REMINDER_EVERY_DAYS = _REMINDERS.every_days


def provincial_review_states():
    """Task states waiting for a provincial officer, the longest-waiting first."""
    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__in=ProvincialReviewTask.objects.all()
        )
        .select_related("workflow_state", "task")
        .order_by("started_at", "pk")
    )


def days_waiting(task_state, now=None):
    return ((now or timezone.now()) - task_state.started_at).days


def provincial_reminder_period(waited_days: int) -> int | None:
    """None before day 14; then 0 (day 14–20), 1 (day 21–27), …: one reminder per period."""
    if waited_days < PROVINCIAL_FIRST_REMINDER_DAYS:
        return None
    return (waited_days - PROVINCIAL_FIRST_REMINDER_DAYS) // PROVINCIAL_REMINDER_EVERY_DAYS


def _admin_edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])


def _provincial_text(page, waited, started):
    subject = _("Reminder: provincial review waiting %(days)s days: %(title)s") % {"days": waited, "title": page.title}
    body = _(
        "The application “%(title)s” has been waiting for provincial review since %(date)s (%(days)s days).\n"
        "Please forward it, request changes or reject it.\n%(url)s"
    ) % {
        "title": page.title,
        "date": format_date_for_language(started, translation.get_language()),
        "days": waited,
        "url": _admin_edit_url(page),
    }
    return subject, body


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
        recipients = [user.email for user in task_state.task.specific.get_actor_users(page)]
        subject, body = bilingual(_provincial_text, page=page, waited=waited, started=task_state.started_at)
        if send_reminder(f"provincial-review:{task_state.pk}:{period}", "provincial_review", recipients, subject, body):
            sent += 1
    return sent
