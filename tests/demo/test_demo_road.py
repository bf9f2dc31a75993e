"""The demo shows the whole product after `load_demo`: a registered Samut Prakan charter, public, with
its certificate number; Chiang Rai's charter waiting at the provincial review in officer_57's queue;
minutes certified and published; each charter's local step decided by its province's อบจ. (lo_11,
lo_57) with a comment; a second run changes nothing."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from demo.road import CR_LOCAL_OFFICE_COMMENT, SP_LOCAL_OFFICE_COMMENT
from networks.models import NetworkPage
from outbox.models import OutboxMessage
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from registry.models import RegistryEntry
from workflows.models import AdoptionCitation, DecisionKind, LocalGovernmentCommentTask, StepDecision

from .conftest import load_demo

pytestmark = pytest.mark.django_db


def network(code):
    return NetworkPage.objects.get(level="province", area_code=code)


def decisions_of(page):
    state = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    return [
        (d.task_state.task.specific.__class__.__name__, d.kind, d.decided_by.username if d.decided_by else None)
        for d in StepDecision.objects.filter(task_state__workflow_state=state)
        .select_related("task_state__task", "decided_by")
        .order_by("task_state__started_at", "pk")
    ]


def local_step(page):
    return TaskState.objects.select_related("finished_by").get(
        workflow_state__object_id=str(page.pk),
        task__content_type=ContentType.objects.get_for_model(LocalGovernmentCommentTask),
    )


def waiting_mail_to(task_state):
    """Who was e-mailed that the step waits for them (the outbox row, queued with the decision)."""
    message = OutboxMessage.objects.get(dedupe_key=f"workflows:waiting:{task_state.pk}")
    return message.payload["to"]


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list(
            "pk", "live", "has_unpublished_changes", "latest_revision_id", "last_published_at")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status", "finished_at")),
        "decisions": StepDecision.objects.count(),
        "registry": list(RegistryEntry.objects.values_list("registration_number", "text_sha256")),
        "users": get_user_model().objects.count(),
    }


def test_demo_road(demo, client):
    samut_prakan, chiang_rai = network("11"), network("57")

    # --- Samut Prakan: registered through every step of the real workflow -------------------------
    charter = CharterPage.objects.get(network=samut_prakan)
    assert charter.live and not charter.has_unpublished_changes
    entry = RegistryEntry.objects.get(network=samut_prakan)
    assert re.fullmatch(r"11-\d{4}-\d{4}", entry.registration_number)
    assert entry.registered_by.username == "registrar"
    assert decisions_of(charter) == [
        ("CommitteeReviewTask", DecisionKind.APPROVED, "sp_chair"),
        ("AssemblyAdoptionTask", DecisionKind.APPROVED, "sp_secretary"),
        # A provincial network files at its provincial administrative organization (อบจ.), which comments.
        ("LocalGovernmentCommentTask", DecisionKind.APPROVED, "lo_11"),
        ("ProvincialReviewTask", DecisionKind.APPROVED, "officer_11"),
        ("RegistrationTask", DecisionKind.APPROVED, "registrar"),
    ]
    citation = AdoptionCitation.objects.get(minutes__network=samut_prakan)
    assert citation.present_committee_members * 2 > citation.committee_size  # quorum
    assert "ข้อบังคับ" in citation.agenda_item.resolution
    # The local step was decided by the อบจ. with a real comment, today: nothing is dated back.
    local = local_step(charter)
    assert local.status == TaskState.STATUS_APPROVED
    assert local.comment == SP_LOCAL_OFFICE_COMMENT
    assert local.finished_by.username == "lo_11"
    assert local.finished_at - local.started_at < datetime.timedelta(hours=1)
    # The อบจ. was the one told that the application waited for its comment.
    assert waiting_mail_to(local) == ["lo_11@demo.welfare-charters.local"]
    states = list(TaskState.objects.filter(workflow_state__object_id=str(charter.pk)).order_by("started_at"))
    assert [type(s.task.specific).__name__ for s in states][:3] == [
        "CommitteeReviewTask", "AssemblyAdoptionTask", "LocalGovernmentCommentTask"
    ]
    assert all(a.finished_at <= b.started_at for a, b in zip(states, states[1:], strict=False))

    minutes = MeetingMinutesPage.objects.get(network=samut_prakan)
    plan = ActionPlanPage.objects.get(network=samut_prakan)
    assert minutes.live and plan.live
    assert decisions_of(minutes) == [("MinutesCertificationTask", DecisionKind.APPROVED, "sp_chair")]
    assert decisions_of(plan) == [("ActionPlanApprovalTask", DecisionKind.APPROVED, "sp_chair")]

    # The public sees the registered charter with its number, and the certificate verifies.
    response = client.get(charter.get_url())
    assert response.status_code == 200
    assert entry.registration_number in response.content.decode()
    verify = client.get(reverse("public:verify", args=[entry.registration_number]))
    assert verify.status_code == 200
    assert 'class="result result--valid"' in verify.content.decode()
    assert client.get(minutes.get_url()).status_code == 200
    assert client.get(plan.get_url()).status_code == 200

    # --- Chiang Rai: waiting at the provincial review ----------------------------------------------
    cr_charter = CharterPage.objects.get(network=chiang_rai)
    assert not cr_charter.live
    assert client.get(cr_charter.get_url()).status_code == 404
    assert not RegistryEntry.objects.filter(network=chiang_rai).exists()
    current = WorkflowState.objects.for_instance(cr_charter).get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert type(current.current_task_state.task.specific).__name__ == "ProvincialReviewTask"
    assert decisions_of(cr_charter) == [
        ("CommitteeReviewTask", DecisionKind.APPROVED, "cr_chair"),
        ("AssemblyAdoptionTask", DecisionKind.APPROVED, "cr_secretary"),
        ("LocalGovernmentCommentTask", DecisionKind.APPROVED, "lo_57"),
    ]
    cr_local = local_step(cr_charter)
    assert cr_local.comment == CR_LOCAL_OFFICE_COMMENT
    assert waiting_mail_to(cr_local) == ["lo_57@demo.welfare-charters.local"]
    # Each อบจ. is the local office of its own provincial network only.
    User = get_user_model()
    task = cr_local.task.specific
    assert task.user_is_actor(cr_charter, User.objects.get(username="lo_57"))
    assert not task.user_is_actor(cr_charter, User.objects.get(username="lo_11"))
    assert not task.user_is_actor(charter, User.objects.get(username="lo_57"))
    cr_minutes = MeetingMinutesPage.objects.get(network=chiang_rai, meeting_number=1, buddhist_year=2562)
    assert cr_minutes.live
    assert client.get(cr_minutes.get_url()).status_code == 200
    assembly = MeetingMinutesPage.objects.get(network=chiang_rai, meeting_number=2, buddhist_year=2562)
    assert AdoptionCitation.objects.get(minutes=assembly).agenda_item.page_id == assembly.pk
    assert not ActionPlanPage.objects.get(network=chiang_rai).live

    # officer_57 finds it under "Awaiting my action"; officer_11 does not.
    client.force_login(User.objects.get(username="officer_57"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = dashboard[dashboard.index('id="awaiting-my-action-section"'):]
    assert cr_charter.title in panel
    assert reverse("wagtailadmin_pages:edit", args=[cr_charter.pk]) in panel
    client.force_login(User.objects.get(username="officer_11"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[cr_charter.pk]) not in dashboard

    # --- A second run changes nothing ---------------------------------------------------------------
    before = snapshot()
    assert "nothing changed" in load_demo("--force")
    assert snapshot() == before


def test_demo_goes_no_further_than_its_target_after_a_person_acted(demo):
    """officer_57 forwards Chiang Rai's charter; loading the demo again leaves it at the registrar's step."""
    cr_charter = CharterPage.objects.get(network=network("57"))
    state = WorkflowState.objects.for_instance(cr_charter).get(status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    officer = get_user_model().objects.get(username="officer_57")
    form = task.get_form_for_action("approve")(data={
        "has_charter": True, "has_adopting_minutes": True, "has_committee_list": True, "has_action_plan": True,
        "has_member_count": True, "welfare_work_one_year": True, "office_one_year": True,
    })
    assert form.is_valid(), form.errors
    task.on_action(task_state, officer, "approve", **form.cleaned_data)

    assert "nothing changed" in load_demo("--force")
    state.refresh_from_db()
    assert type(state.current_task_state.task.specific).__name__ == "RegistrationTask"
    assert not RegistryEntry.objects.filter(network=network("57")).exists()
