"""The dashboard panel "Documents of my network", for the drafting committee.

For each network whose committee the user sits on (people.roles.committee_networks): its charter,
action plans and minutes, each with where it stands (workflows.state: the same value and words as the
listings and e-mails — a draft, awaiting a step and who acts there, changes requested or application
rejected with the reason, registered / certified / approved), since when and by whom, and links to
edit it, to its history and to the public page.

The queries are fixed whatever the number of documents: the networks (1), the documents of each type
(3), their workflow states with the current step (1), the decisions that sent documents back (1) and
the registry entries (1); content types come from Django's cache.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from pages.doctypes import document_types
from people.roles import committee_networks
from registry.models import RegistryEntry

from .models import DecisionKind, StepDecision
from .road import step_for_task
from .state import (  # the one state and its words, as everywhere
    DocumentState,
    document_state,
    registration_ended,
)
from .thresholds import progress_for_rows


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
    # [(document type, its admin "add" URL)] the user may start under this network: no dead end when
    # the network has no documents yet.
    start_links: list = field(default_factory=list)


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
        sections = {n.pk: NetworkSection(network=n, start_links=self._start_links(n)) for n in networks}
        pages = []
        # Each type in the order the panel lists them (pages.doctypes), its documents in its own order.
        for document_type in document_types():
            documents = document_type.model.objects.filter(network_id__in=sections)
            for page in documents.order_by(*document_type.listing_order).defer_streamfields():
                pages.append(page)
        states, decisions = self._workflow_states(pages)
        progress = self._approval_progress(pages, states)
        ended = self._registry_numbers(sections)
        for page in pages:
            workflow_state = states.get(str(page.pk))
            decision = decisions.get(workflow_state.pk) if workflow_state is not None else None
            task_state_id = workflow_state.current_task_state_id if workflow_state is not None else None
            sections[page.network_id].rows.append(
                DocumentRow(
                    page=page,
                    type_label=page._meta.verbose_name,
                    state=document_state(
                        page, workflow_state, decision, progress.get(task_state_id), ended.get(page.pk)
                    ),
                    edit_url=reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    history_url=reverse("wagtailadmin_pages:history", args=(page.pk,)),
                    live_url=page.get_url(request=self.request) if page.live else "",
                )
            )
        return list(sections.values())

    def _start_links(self, network):
        """The document types this user may add under `network`: a committee's membership gives it
        Wagtail's add permission on its network (people.groups), and the type's placement rules decide
        the rest, as the "add child page" view (which checks both again) does. No query per network."""
        links = []
        for document_type in document_types():
            model = document_type.model
            if model.can_create_at(network):
                url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, network.pk))
                links.append((document_type, url))
        return links

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
    def _approval_progress(pages, states):
        """{task state id: approvals so far and required} of the documents at threshold steps."""
        rows = []
        for page in pages:
            state = states.get(str(page.pk))
            if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state:
                rows.append((step_for_task(state.current_task_state.task), state.current_task_state, page))
        return progress_for_rows(rows)

    @staticmethod
    def _registry_numbers(sections):
        """Each network's registration number (its latest entry's); returns {charter id: (kind, date)}
        of the entries revoked or dissolved (workflows.state.registration_ended), for their charters' state."""
        ended = {}
        rows = RegistryEntry.objects.filter(network_id__in=sections).values_list(
            "network_id", "registration_number", "charter_id", "status", "revoked_on", "dissolved_on"
        )
        # Oldest first: a network's latest entry (a new application after a revocation) wins.
        for network_id, number, charter_id, status, revoked_on, dissolved_on in reversed(list(rows)):
            sections[network_id].registration_number = number
            end = registration_ended(status, revoked_on, dissolved_on)
            if end is not None and charter_id is not None:
                ended[charter_id] = end
        return ended


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
