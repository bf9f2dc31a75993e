"""The dashboard panel "Documents of my network", for the drafting committee.

For each network whose committee the user sits on (people.roles.committee_networks): its charter,
action plans and minutes, each with where it stands in words (a draft, waiting at a named step,
changes requested with the reason, application rejected with the reason, registered / certified /
approved), since when and by whom, and links to edit it, to its history and to the public page.

The queries are fixed whatever the number of documents: the networks (1), the documents of each type
(3), their workflow states with the current step (1), the decisions that sent documents back (1) and
the registry entries (1); content types come from Django's cache.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from pages.doctypes import document_types
from people.roles import committee_networks
from registry.models import RegistryEntry

from .models import DecisionKind, StepDecision
from .status import live_label  # the listings' words, so the admin says one thing everywhere

# State kinds: the template styles them; the words are in `label`.
DRAFT, WAITING, CHANGES_REQUESTED, REJECTED, LIVE = "draft", "waiting", "changes", "rejected", "live"


@dataclass
class DocumentState:
    kind: str
    label: str
    since: object = None  # a datetime
    by: object = None  # a user
    reason: str = ""


@dataclass
class DocumentRow:
    page: Page
    type_label: str
    state: DocumentState
    edit_url: str
    history_url: str
    live_url: str = ""


@dataclass
class NetworkSection:
    network: Page
    rows: list = field(default_factory=list)
    registration_number: str = ""


def _step_name(task_state):
    return task_state.task.name if task_state is not None else ""


def document_state(page, workflow_state, decision):
    """Where `page` stands. `workflow_state` is its latest workflow state (current task state and task
    loaded), `decision` the StepDecision that sent it back or ended it, if any."""
    status = workflow_state.status if workflow_state is not None else None
    if status == WorkflowState.STATUS_IN_PROGRESS:
        task_state = workflow_state.current_task_state
        step = _step_name(task_state)
        since = task_state.started_at if task_state is not None else workflow_state.created_at
        if page.live:
            # An amendment in review: the registered text stays public meanwhile.
            label = _("%(live)s; amendment waiting at “%(step)s”") % {"live": live_label(page), "step": step}
        else:
            label = _("waiting at “%(step)s”") % {"step": step}
        return DocumentState(WAITING, label, since, workflow_state.requested_by)
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        step = _step_name(workflow_state.current_task_state)
        label = _("changes requested at “%(step)s”") % {"step": step}
        if decision is not None:
            return DocumentState(CHANGES_REQUESTED, label, decision.decided_at, decision.decided_by, decision.comment)
        task_state = workflow_state.current_task_state
        return DocumentState(
            CHANGES_REQUESTED, label, getattr(task_state, "finished_at", None),
            getattr(task_state, "finished_by", None), getattr(task_state, "comment", ""),
        )
    if status == WorkflowState.STATUS_CANCELLED and decision is not None and not page.live:
        label = _("application rejected at “%(step)s”") % {"step": decision.task_state.task.name}
        return DocumentState(REJECTED, label, decision.decided_at, decision.decided_by, decision.comment)
    if page.live:
        if page.has_unpublished_changes:
            label = _("%(live)s; unsubmitted changes") % {"live": live_label(page)}
            return DocumentState(LIVE, label, page.latest_revision_created_at)
        return DocumentState(LIVE, live_label(page), page.last_published_at)
    return DocumentState(DRAFT, _("draft"), page.latest_revision_created_at)


class NetworkDocuments:
    """Reads the sections of the panel for one user."""

    def __init__(self, user, request=None):
        self.user = user
        self.request = request

    def networks(self):
        return list(committee_networks(self.user).only("id", "title", "path", "depth", "url_path"))

    def sections(self):
        networks = self.networks()
        if not networks:
            return []
        sections = {n.pk: NetworkSection(network=n) for n in networks}
        pages = []
        # Each type in the order the panel lists them (pages.doctypes), its documents in its own order.
        for document_type in document_types():
            documents = document_type.model.objects.filter(network_id__in=sections)
            for page in documents.order_by(*document_type.listing_order).defer_streamfields():
                pages.append(page)
        states, decisions = self._workflow_states(pages)
        self._registry_numbers(sections)
        for page in pages:
            workflow_state = states.get(str(page.pk))
            decision = decisions.get(workflow_state.pk) if workflow_state is not None else None
            sections[page.network_id].rows.append(
                DocumentRow(
                    page=page,
                    type_label=page._meta.verbose_name,
                    state=document_state(page, workflow_state, decision),
                    edit_url=reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    history_url=reverse("wagtailadmin_pages:history", args=(page.pk,)),
                    live_url=page.get_url(request=self.request) if page.live else "",
                )
            )
        return list(sections.values())

    @staticmethod
    def _workflow_states(pages):
        """({page id as text: latest WorkflowState}, {workflow state id: StepDecision}) in two queries."""
        if not pages:
            return {}, {}
        latest = {}
        rows = (
            WorkflowState.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(p.pk) for p in pages],
            )
            .select_related("current_task_state__task", "requested_by")
            .order_by("object_id", "-created_at", "-pk")
        )
        for state in rows:
            latest.setdefault(state.object_id, state)
        sent_back = [
            s.pk for s in latest.values()
            if s.status in (WorkflowState.STATUS_NEEDS_CHANGES, WorkflowState.STATUS_CANCELLED)
        ]
        decisions = {}
        if sent_back:
            for decision in (
                StepDecision.objects.filter(
                    task_state__workflow_state_id__in=sent_back,
                    kind__in=[DecisionKind.CHANGES_REQUESTED, DecisionKind.REJECTED],
                )
                .select_related("task_state__task", "decided_by")
                .order_by("decided_at", "pk")
            ):
                decisions[decision.task_state.workflow_state_id] = decision  # the last one wins
        return latest, decisions

    @staticmethod
    def _registry_numbers(sections):
        for network_id, number in RegistryEntry.objects.filter(network_id__in=sections).values_list(
            "network_id", "registration_number"
        ):
            sections[network_id].registration_number = number


class MyNetworkDocumentsPanel(Component):
    name = "my_network_documents"
    template_name = "workflows/my_documents/my_network_documents.html"
    # After "Awaiting my action" (50), before Wagtail's own panels.
    order = 60

    def __init__(self, sections):
        self.sections = sections

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["request"] = parent_context["request"]
        context["sections"] = self.sections
        return context


def add_my_network_documents_panel(request, panels):
    """construct_homepage_panels hook: the panel, for committee members only."""
    sections = NetworkDocuments(request.user, request).sections()
    if sections:
        panels.append(MyNetworkDocumentsPanel(sections))
