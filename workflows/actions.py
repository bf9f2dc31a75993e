"""Every decision on a step goes through here: the admin's action dialog, the edit view's workflow
actions and the deadline check. Each runs in one transaction, locks the task state first, and
refuses — changing nothing — when the step is not the one in progress, when the user may not take
the decision, or when the data is incomplete."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from core.wagtail_compat import mark_task_state_skipped
from pages.clusters import one_object_per_revision
from pages.models import AgendaItem, MeetingMinutesPage
from registry.services import register

from .models import (
    APPROVE,
    CHECKLIST_FIELDS,
    REJECT_APPLICATION,
    REQUEST_CHANGES,
    AdoptionCitation,
    AssemblyAdoptionTask,
    DecisionKind,
    ProvincialChecklist,
    ProvincialReviewTask,
    RegistrationTask,
    StepDecision,
)
from .notifications import notify_decision
from .quorum import committee_presence

LOG_APPLICATION_REJECTED = "workflows.application_rejected"
LOG_MOVED_ON = "workflows.moved_on"


class WorkflowActionRefused(Exception):
    """A decision that cannot be taken. The message is for the user; nothing was changed."""

    def __init__(self, message, page_id=None):
        super().__init__(message)
        self.message = str(message)
        self.page_id = page_id


def _messages_of(error):
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


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
    """Take `action_name` on `task_state` for `user` with the action's form `data`."""
    with transaction.atomic(), one_object_per_revision():
        task_state, workflow_state, page = lock_current_task_state(task_state)
        allowed = {name for name, _label, _modal in task.get_actions(page, user)}
        if action_name not in allowed:
            raise WorkflowActionRefused(
                _("You may not take this decision on this step. Nothing was changed."), page_id=page.pk
            )
        form = task.get_form_for_action(action_name)(data=dict(data or {}))
        if not form.is_valid():
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            raise WorkflowActionRefused(" ".join(errors), page_id=page.pk)
        cleaned = form.cleaned_data
        comment = cleaned.get("comment", "")

        if action_name == APPROVE:
            decision = StepDecision(
                task_state=task_state, kind=DecisionKind.APPROVED, comment=comment, decided_by=user
            )
            if isinstance(task, AssemblyAdoptionTask):
                citation = _adoption_citation(page, cleaned)
                decision.save()
                citation.decision = decision
                citation.save()
            elif isinstance(task, ProvincialReviewTask):
                decision.save()
                _save_checklist(decision, cleaned)
            elif isinstance(task, RegistrationTask):
                decision.registry_entry = _register(page, user, task_state, cleaned)
                decision.save()
            else:
                decision.save()
            task_state.approve(user=user, comment=_history_comment(task, decision))
        elif action_name == REQUEST_CHANGES:
            decision = StepDecision.objects.create(
                task_state=task_state, kind=DecisionKind.CHANGES_REQUESTED, comment=comment, decided_by=user
            )
            if isinstance(task, ProvincialReviewTask):
                _save_checklist(decision, cleaned)
            task_state.reject(user=user, comment=_history_comment(task, decision))
        elif action_name == REJECT_APPLICATION:
            decision = StepDecision.objects.create(
                task_state=task_state, kind=DecisionKind.REJECTED, comment=comment, decided_by=user
            )
            if isinstance(task, ProvincialReviewTask):
                _save_checklist(decision, cleaned)
            _reject_application(task_state, workflow_state, page, user, _history_comment(task, decision))
        else:
            raise WorkflowActionRefused(_("Unknown decision. Nothing was changed."), page_id=page.pk)
        notify_decision(task, task_state, workflow_state, page, decision)
    return None


def _history_comment(task, decision):
    """The text shown in Wagtail's workflow history: the step's recorded data, then the comment."""
    lines = [str(line) for line in task.decision_summary(decision)]
    if decision.comment:
        lines.append(decision.comment)
    return "\n".join(lines)


def _adoption_citation(page, cleaned):
    minutes = MeetingMinutesPage.objects.filter(pk=cleaned["minutes"]).first()
    if minutes is None:
        raise WorkflowActionRefused(_("There are no such minutes."), page_id=page.pk)
    if minutes.network_id != page.network_id:
        raise WorkflowActionRefused(
            _("The minutes cited must be minutes of this charter's own network. Nothing was changed."),
            page_id=page.pk,
        )
    item = AgendaItem.objects.filter(pk=cleaned["agenda_item"], page=minutes).first()
    if item is None:
        raise WorkflowActionRefused(
            _("The agenda item cited is not an item of these minutes. Nothing was changed."), page_id=page.pk
        )
    present, size, met = committee_presence(minutes)
    if not met:
        raise WorkflowActionRefused(
            _(
                "Meeting %(number)s had no quorum (%(present)s of %(size)s committee members present): "
                "it could not adopt the charter. Nothing was changed."
            )
            % {"number": minutes.number_label, "present": present, "size": size},
            page_id=page.pk,
        )
    return AdoptionCitation(
        minutes=minutes, agenda_item=item, present_committee_members=present, committee_size=size
    )


def _save_checklist(decision, cleaned):
    ProvincialChecklist.objects.create(
        decision=decision, **{name: bool(cleaned.get(name)) for name, _label in CHECKLIST_FIELDS}
    )


def _register(page, user, task_state, cleaned):
    # The registrar registers the text that reached this step; a text changed since then was not reviewed.
    if page.latest_revision_id != task_state.revision_id:
        raise WorkflowActionRefused(
            _("The text changed after it reached this step; request changes instead. Nothing was changed."),
            page_id=page.pk,
        )
    try:
        return register(page, user, conditions=cleaned.get("conditions", ""), revision=task_state.revision)
    except ValidationError as error:
        raise WorkflowActionRefused(_messages_of(error), page_id=page.pk) from error


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
