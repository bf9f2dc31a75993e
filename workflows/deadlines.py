"""The local government's 30 days: a step with a deadline (Step.deadline_days, workflows.road) that passes without a decision closes by
itself and the application moves on; the history and the decision record say why.

Run by the Celery beat task workflows.tasks.check_deadlines and by `manage.py check_workflow_deadlines`.
Running it again changes nothing more: only steps still in progress are closed.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Task, TaskState, WorkflowState

from core.thaidate import format_thai_date

from .actions import WorkflowActionRefused, move_on_after_deadline
from .road import roads


def steps_with_a_deadline():
    return [step for road in roads() for step in road.steps if step.deadline_days]


def overdue_task_states(now=None):
    now = now or timezone.now()
    for step in steps_with_a_deadline():
        cutoff = now - datetime.timedelta(days=step.deadline_days)
        yield from (
            TaskState.objects.filter(
                task__in=Task.objects.filter(pk__in=step.task_class.objects.values("pk")),
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
                started_at__lte=cutoff,
            )
            .select_related("task")
            .order_by("started_at", "pk")
        )


def check_deadlines(now=None):
    """Close every overdue step; return how many moved on."""
    moved = 0
    for task_state in overdue_task_states(now):
        task = task_state.task.specific
        reason = _(
            "No comment was received within %(days)s days of %(date)s: the application moved on to "
            "the next step by itself, as the law allows."
        ) % {"days": task.deadline_days, "date": format_thai_date(task_state.started_at)}
        try:
            move_on_after_deadline(task_state, reason)
        except WorkflowActionRefused:
            continue  # decided meanwhile by someone else: nothing to do
        moved += 1
    return moved
