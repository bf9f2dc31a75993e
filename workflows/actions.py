"""Every decision on a step goes through here: the admin's action dialog, the edit view's workflow
actions and the deadline check. Each runs in one transaction, locks the task state first, and
refuses — changing nothing — when the step is not the one in progress, when the user may not take
the decision, or when the data is incomplete."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from core.wagtail_compat import mark_task_state_skipped
from pages.clusters import one_object_per_revision

from .errors import WorkflowActionRefused
from .models import DecisionKind, StepDecision
from .notifications import notify_decision
from .road import APPROVE, REJECT_APPLICATION, REQUEST_CHANGES
from .thresholds import already_approved_message, record_approval

LOG_APPLICATION_REJECTED = "workflows.application_rejected"
LOG_MOVED_ON = "workflows.moved_on"
LOG_APPROVAL_RECORDED = "workflows.approval_recorded"

# What each action decides.
DECISION_KINDS = {
    APPROVE: DecisionKind.APPROVED,
    REQUEST_CHANGES: DecisionKind.CHANGES_REQUESTED,
    REJECT_APPLICATION: DecisionKind.REJECTED,
}

__all__ = ["WorkflowActionRefused", "perform_action", "skip_step", "move_on_after_deadline"]


def lock_current_task_state(task_state):
    """Lock the task state and its workflow state; refuse unless this task state is the one in
    progress. Returns (task_state, workflow_state, page) re-read under the lock."""
    locked = TaskState.objects.select_for_update().filter(pk=task_state.pk).first()
    if locked is None:
        raise WorkflowActionRefused(_("This step no longer exists. Nothing was changed."))
    workflow_state = WorkflowState.objects.select_for_update().get(pk=locked.workflow_state_id)
    page = workflow_state.content_object.specific
    if (
        locked.status != TaskState.STATUS_IN_PROGRESS
        or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
        or workflow_state.current_task_state_id != locked.pk
    ):
        raise WorkflowActionRefused(
            _(
                "This step is not awaiting a decision any more (it may have been decided already). Nothing was changed."
            ),
            page_id=page.pk,
        )
    locked.workflow_state = workflow_state
    return locked.specific, workflow_state, page


def perform_action(task, task_state, user, action_name, data):
    """Take `action_name` on `task_state` for `user` with the action's form `data`: the step's own
    class records what its decision records (record_decision), then Wagtail's state moves on."""
    with transaction.atomic(), one_object_per_revision():
        task_state, workflow_state, page = lock_current_task_state(task_state)
        allowed = {name for name, _label, _modal in task.get_actions(page, user)}
        if action_name not in allowed or action_name not in DECISION_KINDS:
            if task.approved_this_round(page, user):
                raise WorkflowActionRefused(already_approved_message(), page_id=page.pk)
            raise WorkflowActionRefused(
                _("You may not take this decision on this step. Nothing was changed."), page_id=page.pk
            )
        form = task.get_form_for_action(action_name)(data=dict(data or {}))
        if not form.is_valid():
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            raise WorkflowActionRefused(" ".join(errors), page_id=page.pk)
        cleaned = form.cleaned_data
        step = task.road_step()
        if action_name == APPROVE and step.threshold:
            # k-of-n: each signer's approval is recorded; the step moves on with the k-th only. The
            # task state's row lock (above) makes the count and the move one step for one signer at a time.
            progress = record_approval(step, task_state, page, user, cleaned.get("comment", ""))
            if progress.approvals < progress.required:
                _log_approval(task_state, page, user, progress, cleaned.get("comment", ""))
                return None  # Wagtail reads a returned value as the URL to go to
        decision = StepDecision(
            task_state=task_state,
            kind=DECISION_KINDS[action_name],
            comment=cleaned.get("comment", ""),
            decided_by=user,
        )
        task.record_decision(decision, page=page, task_state=task_state, user=user, cleaned=cleaned)
        history_comment = _history_comment(task, decision)
        if action_name == APPROVE:
            if task.decides_step(decision):
                task_state.approve(user=user, comment=history_comment)
        elif action_name == REQUEST_CHANGES:
            task_state.reject(user=user, comment=history_comment)
        else:
            _reject_application(task_state, workflow_state, page, user, history_comment)
        notify_decision(task, task_state, workflow_state, page, decision)
    return None


def _log_approval(task_state, page, user, progress, comment):
    log(
        instance=page,
        action=LOG_APPROVAL_RECORDED,
        user=user,
        data={
            "task": {"id": task_state.task_id, "title": task_state.task.name},
            "approvals": progress.approvals,
            "required": progress.required,
            "comment": comment,
        },
        revision=task_state.revision,
    )


def _history_comment(task, decision):
    """The text shown in Wagtail's workflow history: the step's recorded data, then the comment."""
    lines = [str(line) for line in task.decision_summary(decision)]
    if decision.comment:
        lines.append(decision.comment)
    return "\n".join(lines)


def _reject_application(task_state, workflow_state, page, user, comment):
    """End the application: the step is marked rejected with its reason, the workflow cancelled."""
    task_state.reject(user=user, update=False, comment=comment)
    workflow_state.refresh_from_db()
    workflow_state.cancel(user=user)
    log(
        instance=page,
        action=LOG_APPLICATION_REJECTED,
        user=user,
        data={"task": {"id": task_state.task_id, "title": task_state.task.name}, "comment": comment},
        revision=task_state.revision,
    )


def skip_step(task_state, reason, user=None):
    """Close a step that does not apply, as it starts (Task.start): Wagtail's workflow then moves on
    by itself (WorkflowState.update sees the step is no longer in progress)."""
    decision = StepDecision.objects.create(
        task_state=task_state, kind=DecisionKind.MOVED_ON, comment=reason, decided_by=user
    )
    mark_task_state_skipped(task_state, reason, at=timezone.now())
    page = task_state.workflow_state.content_object
    log(
        instance=page.specific,
        action=LOG_MOVED_ON,
        data={"task": {"id": task_state.task_id, "title": task_state.task.name}, "comment": reason},
        revision=task_state.revision,
    )
    return decision


def move_on_after_deadline(task_state, reason):
    """Close a waiting step without a decision because its deadline passed (no user acts)."""
    with transaction.atomic():
        task_state, workflow_state, page = lock_current_task_state(task_state)
        decision = skip_step(task_state, reason)
        workflow_state.update(user=None)
        notify_decision(task_state.task.specific, task_state, workflow_state, page, decision)
    return decision
