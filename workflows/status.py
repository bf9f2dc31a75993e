"""The state of a document in words, for the admin's listings and edit screen (Page.status_string,
through core.providers.document_status, which workflows.apps fills with document_status()).

Reads only what Wagtail's listing prefetches (its workflow states with the current task), so a listing
of many documents makes no query per row."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from core.wagtail_compat import prefetched_workflow_states
from pages.doctypes import document_type_for

from .models import DecisionKind, StepDecision


def live_label(page):
    """What a live document of this type is called ("registered", "certified", "approved")."""
    document_type = document_type_for(page)
    return document_type.live_label if document_type is not None else _("live")


def _current_state(page):
    states = prefetched_workflow_states(page)
    if states is not None:
        return states[0] if states else None
    return page.current_workflow_state


def _waiting_label(workflow_state):
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("changes requested")
    task_state = workflow_state.current_task_state
    if task_state is None:
        return _("in review")
    task_class = ContentType.objects.get_for_id(task_state.task.content_type_id).model_class()
    return getattr(task_class, "waiting_label", None) or task_state.task.name


def document_status(page):
    workflow_state = _current_state(page)
    live = live_label(page)
    if workflow_state is not None:
        waiting = _waiting_label(workflow_state)
        if page.live:
            # An amendment in review: the registered text stays public meanwhile.
            return _("%(live)s; amendment: %(waiting)s") % {"live": live, "waiting": waiting}
        return waiting
    if not page.live and prefetched_workflow_states(page) is None and _last_application_rejected(page):
        # Only outside listings (the edit screen): a listing row would cost a query per document.
        return _("application rejected")
    if page.live:
        if page.has_unpublished_changes:
            return _("%(live)s; unsubmitted changes") % {"live": live}
        return live
    return _("draft")


def _last_application_rejected(page):
    last = page.workflow_states.order_by("-created_at", "-pk").only("pk", "status").first()
    return (
        last is not None
        and last.status == WorkflowState.STATUS_CANCELLED
        and StepDecision.objects.filter(task_state__workflow_state=last, kind=DecisionKind.REJECTED).exists()
    )
