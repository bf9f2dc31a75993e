"""The demo as `load_demo` leaves it, loaded once for all these tests (each loading took seconds): its
content and users; the whole product it shows, a registered Samut Prakan charter, public, with its
certificate number, Chiang Rai's charter waiting at the provincial review in officer_57's queue, minutes
certified and published, each charter's local step decided by its province's อบจ. (lo_11, lo_57) with a
comment; the duties after registration of two Samut Prakan tambon funds (demo/duties.py); and a second run
that changes nothing. (The guard against real sites, on an empty database, is in test_demo.py.)"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from demo import content as demo_content
from demo.road import CR_LOCAL_OFFICE_COMMENT, SP_LOCAL_OFFICE_COMMENT
from networks.models import NetworkLevel, NetworkPage
from outbox.models import OutboxMessage
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from registry import duties
from registry.models import FilingStatus, HalfYearReport, NoticeDue, RegistryEntry
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
            "pk", "path", "title", "draft_title", "slug", "live", "has_unpublished_changes",
            "latest_revision_id", "last_published_at", "numchild")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password")),
        "networks": list(NetworkPage.objects.order_by("pk").values_list(
            "pk", "member_count", "member_organization_count", "welfare_started_on", "office_address")),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status", "finished_at")),
        "decisions": StepDecision.objects.count(),
        "registry": list(RegistryEntry.objects.order_by("pk").values_list(
            "pk", "registration_number", "text_sha256")),
        "half_year_reports": list(HalfYearReport.objects.order_by("pk").values_list("pk", "status", "filed_at")),
    }


def user(username):
    return get_user_model().objects.get(username=username)


def test_demo_content(demo):
    assert "Demo loaded" in demo  # the output of the first run

    chiang_rai = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code="57")
    assert chiang_rai.member_organization_count == 18

    charter = CharterPage.objects.get(network=chiang_rai)
    assert not charter.live and charter.latest_revision is not None
    assert [title for _n, title, _c in charter.numbered_chapters()] == [
        "บททั่วไป", "วัตถุประสงค์", "สมาชิก", "คณะกรรมการ", "การบริหารกองทุน",
        "สวัสดิการและประโยชน์ที่องค์กรสมาชิกได้รับ", "การบัญชีและการรายงาน",
        "การแก้ไขเพิ่มเติมข้อบังคับ", "การเลิกเครือข่าย",
    ]
    assert all(len(clauses) >= 3 for _n, _t, clauses in charter.numbered_chapters())
    # Created once, in the history, by the committee member who wrote it (not logged twice).
    created = PageLogEntry.objects.filter(page=charter, action="wagtail.create")
    assert list(created.values_list("user__username", flat=True)) == [demo_content.DEMO_USERS["cr_member"][0]]

    # 1/2562 is certified and published by the demo's road (demo.road, tested below).
    minutes = MeetingMinutesPage.objects.get(network=chiang_rai, meeting_number=1)
    assert minutes.meeting_date == datetime.date(2019, 5, 14)
    assert minutes.number_label == "1/2562" and minutes.agenda_items.count() == 5
    assert list(minutes.agenda_items.values_list("sort_order", flat=True)) == [0, 1, 2, 3, 4]
    assert minutes.present_members.filter(substitute_for__gt="").count() == 1

    plan = ActionPlanPage.objects.get(network=chiang_rai)
    assert not plan.live
    monitoring = plan.activities.get(start_date=datetime.date(2019, 5, 20))
    assert monitoring.end_date == datetime.date(2019, 6, 15)

    samut_prakan = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code="11")
    assert samut_prakan.member_organization_count == 25
    funds = NetworkPage.objects.descendant_of(samut_prakan).filter(level=NetworkLevel.TAMBON, member_count__gt=0)
    assert funds.count() == 25
    assert funds.filter(welfare_started_on__isnull=False).count() == 25
    # All six districts of Samut Prakan have funds in the demo.
    assert len({fund.area_code[:4] for fund in funds}) == 6

    User = get_user_model()
    for username, *_rest in demo_content.DEMO_USERS.values():
        assert User.objects.get(username=username).check_password(demo_content.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


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


# --- The duties after registration (demo/duties.py) ----------------------------------------------
# Two Samut Prakan tambon funds registered before the site; the first has one half-year report accepted
# and one waiting for the registrar, the second is past its 30 days. The registrar's and the officer's
# queues and the public registry show them.


def test_demo_reports_and_the_queues_that_show_them(demo, client):
    funds = list(RegistryEntry.objects.filter(network__level="tambon").order_by("network__area_code"))
    assert len(funds) == 2 and all(entry.network.province_code == "11" for entry in funds)
    reporting, late = funds
    assert list(reporting.half_year_reports.order_by("period_end").values_list("status", flat=True)) == [
        FilingStatus.ACCEPTED, FilingStatus.FILED,
    ]
    assert not late.half_year_reports.exists()
    assert not NoticeDue.objects.exists()  # the secretary sat on the committees before the registrations
    waiting = reporting.half_year_reports.get(status=FilingStatus.FILED)

    # The registrar: the waiting report in the queue, the late fund in the overdue list.
    client.force_login(user("registrar"))
    queue = client.get(reverse("registry_duties:queue")).content.decode()
    assert reverse("registry_duties:report", args=[waiting.pk]) in queue
    overdue = client.get(reverse("registry_duties:overdue")).content.decode()
    assert late.registration_number in overdue and reporting.registration_number not in overdue
    # Samut Prakan's officer sees the late fund too; Chiang Rai's does not.
    client.force_login(user("officer_11"))
    assert late.registration_number in client.get(reverse("registry_duties:overdue")).content.decode()
    client.force_login(user("officer_57"))
    assert late.registration_number not in client.get(reverse("registry_duties:overdue")).content.decode()
    # The secretary who files for the funds sees both on her list.
    client.force_login(user("sp_secretary"))
    index = client.get(reverse("registry_duties:index")).content.decode()
    assert reporting.organization_name in index and late.organization_name in index

    # The public registry: both reports of the first fund, with their status.
    client.logout()
    html = client.get("/en/registry/").content.decode()
    row = html[html.index(reporting.registration_number):]
    row = row[: row.index("</tr>")]
    assert row.count("half-year ending") == 2 and ": accepted" in row and "waiting for the registrar" in row
    assert {entry.pk for entry in duties.overdue_entries()[0]} == {late.pk}


# --- A second run -------------------------------------------------------------------------------


def test_a_second_run_changes_nothing(demo):
    """Not a page, revision, log entry, user (nor password), network's figures, workflow step, decision,
    registry entry nor half-year report."""
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
