"""Where a document stands, once: `document_state(page)` returns a small value, `word_state(state)`
words it in the active language. The admin's listings and edit screen (workflows.status, through
core.providers.document_status), the dashboard panels, the queue and the e-mails all read these two,
so a state is said one way, in one language at a time.

`document_state` reads only what it is given or what Wagtail's listing prefetched (the workflow states
with their current task), and the step comes from the task's content type (Django's cache): a listing
of many documents makes no query per row. Outside a listing, the reason of a send-back or a rejection
is read with one more query.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from core.wagtail_compat import prefetched_workflow_states
from pages.doctypes import document_type_for
from registry.models import RegistryEntry, RegistryStatus

from .models import DecisionKind, StepDecision
from .road import Step, road_for, step_for_task
from .thresholds import progress_of


class StateKind:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    APPROVED = "approved"  # live: certified minutes, an approved plan
    REGISTERED = "registered"  # live, through a road whose step registers (the charter)
    REVOKED = "revoked"  # the registry entry naming this charter was revoked
    DISSOLVED = "dissolved"  # the organization it registered dissolved itself (an accepted notice)


LIVE_KINDS = (StateKind.APPROVED, StateKind.REGISTERED, StateKind.REVOKED, StateKind.DISSOLVED)


@dataclass(frozen=True)
class DocumentState:
    kind: str
    # The step the document waits at, or the step that sent it back or ended the application.
    step: Step | None = None
    # Since when it stands so; for a revoked or dissolved registration, the date it ended.
    since: datetime | date | None = None
    # Who submitted it (in review) or who decided (sent back, rejected).
    by: object = None
    # The reason of the last send-back or rejection.
    reason: str = ""
    # A version of the document is live (an amendment in review, or changes not yet submitted).
    live: bool = False
    live_label: Promise | str = ""
    unsubmitted_changes: bool = False
    # At a step needing several approvals: workflows.thresholds.ApprovalProgress (approvals, required).
    progress: object = None

    @property
    def step_key(self):
        return self.step.key if self.step is not None else ""

    @property
    def step_label(self):
        return self.step.label if self.step is not None else ""

    @property
    def actors_label(self):
        """Who acts now, in words; empty unless the document waits at a step."""
        if self.kind != StateKind.IN_REVIEW or self.step is None:
            return ""
        return self.step.actors.label

    @property
    def label(self):
        return word_state(self)


_UNSET = object()


def live_label(page):
    """What a live document of this type is called ("registered", "certified", "approved")."""
    document_type = document_type_for(page)
    return document_type.live_label if document_type is not None else _("live")


def _live_kind(page):
    document_type = document_type_for(page)
    try:
        road = road_for(document_type.key) if document_type is not None else None
    except LookupError:
        road = None
    if road is not None and any(step.registers for step in road.steps):
        return StateKind.REGISTERED
    return StateKind.APPROVED


def _latest_workflow_state(page):
    states = prefetched_workflow_states(page)
    if states is not None:
        return states[0] if states else None, True
    return page.workflow_states.select_related("current_task_state__task").order_by("-created_at", "-pk").first(), False


def _last_send_back(workflow_state):
    return (
        StepDecision.objects.filter(
            task_state__workflow_state=workflow_state,
            kind__in=[DecisionKind.CHANGES_REQUESTED, DecisionKind.REJECTED],
        )
        .select_related("task_state__task", "decided_by")
        .order_by("-decided_at", "-pk")
        .first()
    )


def registration_ended(status, revoked_on, dissolved_on):
    """(kind, date) of a registry entry's end, from its columns: revoked, or the organization dissolved;
    None while it stands."""
    if status == RegistryStatus.REVOKED:
        return StateKind.REVOKED, revoked_on
    if status == RegistryStatus.DISSOLVED:
        return StateKind.DISSOLVED, dissolved_on
    return None


def _registration_ended(page):
    """How the registration of a live document of a road that registers (the charter a registry entry
    names) ended, as registration_ended; None otherwise. One query, for such documents only."""
    if _live_kind(page) != StateKind.REGISTERED:
        return None
    row = (
        RegistryEntry.objects.filter(charter_id=page.pk, status__in=[RegistryStatus.REVOKED, RegistryStatus.DISSOLVED])
        .values_list("status", "revoked_on", "dissolved_on")
        .first()
    )
    return registration_ended(*row) if row else None


def document_state(page, workflow_state=_UNSET, decision=_UNSET, progress=_UNSET, ended=_UNSET):
    """Where `page` stands. `workflow_state` is its latest workflow state (current task state and task
    loaded), `decision` the StepDecision that sent it back or ended it and `progress` the approvals of
    a threshold step (workflows.thresholds.progress_for_rows) and `ended` how its registration ended
    (registration_ended), when the caller read them in bulk (the dashboard, the queue); otherwise they
    are taken from Wagtail's listing prefetch, or read."""
    in_listing = False
    if workflow_state is _UNSET:
        workflow_state, in_listing = _latest_workflow_state(page)
    status = workflow_state.status if workflow_state is not None else None
    live = bool(page.live)
    common = {"live": live, "live_label": live_label(page)}
    if status in (WorkflowState.STATUS_NEEDS_CHANGES, WorkflowState.STATUS_CANCELLED) and decision is _UNSET:
        # Only outside listings (the edit screen): a listing row would cost a query per document.
        decision = None if in_listing else _last_send_back(workflow_state)
    if decision is _UNSET:
        decision = None

    if status == WorkflowState.STATUS_IN_PROGRESS:
        task_state = workflow_state.current_task_state
        since = task_state.started_at if task_state is not None else workflow_state.created_at
        step = step_for_task(task_state.task) if task_state is not None else None
        # Not in a listing: Wagtail's prefetch leaves the submitter out (a query per row).
        submitter = None if in_listing else workflow_state.requested_by
        if progress is _UNSET:
            progress = None if in_listing else progress_of(step, task_state, page)
        return DocumentState(StateKind.IN_REVIEW, step, since, submitter, progress=progress, **common)
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = workflow_state.current_task_state
        step = step_for_task(task_state.task) if task_state is not None else None
        if decision is not None:
            return DocumentState(
                StateKind.CHANGES_REQUESTED, step, decision.decided_at, decision.decided_by, decision.comment, **common
            )
        return DocumentState(
            StateKind.CHANGES_REQUESTED,
            step,
            getattr(task_state, "finished_at", None),
            getattr(task_state, "finished_by", None),
            getattr(task_state, "comment", "") or "",
            **common,
        )
    if status == WorkflowState.STATUS_CANCELLED and decision is not None and not live:
        if decision.kind == DecisionKind.REJECTED:
            step = step_for_task(decision.task_state.task)
            return DocumentState(
                StateKind.REJECTED, step, decision.decided_at, decision.decided_by, decision.comment, **common
            )
    if live:
        if ended is _UNSET:
            ended = _registration_ended(page)
        if ended is not None:
            kind, ended_on = ended  # revoked or dissolved, and since when
            return DocumentState(kind, since=ended_on, **common)
        if page.has_unpublished_changes:
            return DocumentState(
                _live_kind(page), since=page.latest_revision_created_at, unsubmitted_changes=True, **common
            )
        return DocumentState(_live_kind(page), since=page.last_published_at, **common)
    return DocumentState(StateKind.DRAFT, since=page.latest_revision_created_at, **common)


def word_state(state):
    """The state in words, in the active language only."""
    if state.kind == StateKind.IN_REVIEW:
        words = state.step.waiting_label if state.step is not None else _("in review")
        if state.progress is not None and state.progress.shown:
            words = _("%(waiting)s (approved %(approvals)s of %(required)s)") % {
                "waiting": words, "approvals": state.progress.approvals, "required": state.progress.required,
            }
    elif state.kind == StateKind.CHANGES_REQUESTED:
        words = (
            _("changes requested at “%(step)s”") % {"step": state.step.label}
            if state.step is not None
            else _("changes requested")
        )
    elif state.kind == StateKind.REJECTED:
        words = (
            _("application rejected at “%(step)s”") % {"step": state.step.label}
            if state.step is not None
            else _("application rejected")
        )
    elif state.kind == StateKind.REVOKED:
        return str(_("revoked"))
    elif state.kind == StateKind.DISSOLVED:
        return str(_("dissolved"))
    elif state.kind in LIVE_KINDS:
        if state.unsubmitted_changes:
            return str(_("%(live)s; unsubmitted changes") % {"live": state.live_label})
        return str(state.live_label)
    else:
        return str(_("draft"))
    if state.live:
        # An amendment on its road: the live text stays public meanwhile.
        return str(_("%(live)s; amendment: %(waiting)s") % {"live": state.live_label, "waiting": words})
    return str(words)
