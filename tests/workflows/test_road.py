"""The whole road through the admin: draft → registered and public → amendment → revocation; and the
road as one definition (workflows.road) against the database: built from it, checked against it, read
only in Wagtail's workflow screens."""

import pytest
from django.contrib.messages import get_messages
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Task, TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from pages.doctypes import document_type
from registry.models import RegistryEntry
from registry.services import organization_display_name
from tests.factories import add_adopting_minutes, make_user
from workflows import actors
from workflows.building import build_roads, check_roads, road_problems
from workflows.models import (
    AdoptionCitation,
    DecisionKind,
    ProvincialChecklist,
    StepDecision,
    WorkflowBinding,
)
from workflows.road import Action, Road, Step, road_for, roads, step_for_task

from .conftest import (
    charter_form_data,
    current_task_state,
    edit_url,
    login,
    run_to,
)

pytestmark = pytest.mark.django_db


def public_url(page):
    return page.get_url()


def test_draft_to_registered_and_public(world, client):
    charter = world["charter"]
    url = public_url(charter)
    assert client.get(url).status_code == 404

    run_to(client, world, "done")

    charter.refresh_from_db()
    assert charter.live
    response = client.get(url)
    assert response.status_code == 200
    assert "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง" in response.content.decode()

    entry = RegistryEntry.objects.get(network=world["net_a"])
    assert entry.registration_number

    assert organization_display_name(world["net_a"]).endswith("(องค์กรสวัสดิการชุมชน)")
    assert entry.registered_by == world["registrar"]
    state = WorkflowState.objects.for_instance(charter).get()
    assert state.status == WorkflowState.STATUS_APPROVED

    # What each step recorded, beyond Wagtail's task states.
    decisions = StepDecision.objects.filter(task_state__workflow_state=state).order_by("decided_at", "pk")
    assert [d.kind for d in decisions] == [DecisionKind.APPROVED] * 5
    citation = AdoptionCitation.objects.get()
    assert citation.minutes_id == world["minutes_a"].pk
    assert (citation.present_committee_members, citation.committee_size) == (3, 5)
    assert ProvincialChecklist.objects.get().complete
    assert decisions.last().registry_entry == entry

    # Wagtail's workflow history shows each step with our data in its comment.
    login(client, world["chair_a"])
    history = client.get(reverse("wagtailadmin_pages:workflow_history_detail", args=[charter.pk, state.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "1/2569" in html and "พิจารณาร่างข้อบังคับ" in html  # the adoption citation
    assert "อบต.เวียงเห็นควรสนับสนุน" in html  # the local government's comment
    assert "✓" in html  # the provincial checklist
    comments = list(
        TaskState.objects.filter(workflow_state=state).order_by("pk").values_list("comment", flat=True)
    )
    assert "1/2569" in comments[1]
    assert comments[2] == "อบต.เวียงเห็นควรสนับสนุน"
    assert "✓" in comments[3]


@pytest.mark.walked_to("done")
def test_amendment_keeps_registered_text_public(world, client):
    charter = world["charter"]
    entry = RegistryEntry.objects.get(network=world["net_a"])
    url = public_url(charter)

    login(client, world["member_a"])
    data = charter_form_data(client, charter)
    data["chapters-0-value-clauses-0-value"] = "ข้อความที่แก้ไขเพิ่มเติม"
    data["version_label"] = "แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๙"
    data["action-submit"] = "1"
    assert client.post(edit_url(charter), data).status_code == 302
    assert step_for_task(current_task_state(charter).task).key == "committee_review"

    client.logout()
    public = client.get(url).content.decode()
    assert "ข้อความที่แก้ไขเพิ่มเติม" not in public
    assert "ข้อบังคับนี้เรียกว่า" in public

    # An amendment needs a new resolution: a new meeting adopts the amended text.
    run_to(client, dict(world, minutes_a=add_adopting_minutes(world["net_a"], 3, present=3)), "done")
    entry.refresh_from_db()
    assert entry.amendments.count() == 1
    assert entry.amendments.get().version_label == "แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๙"
    assert "ข้อความที่แก้ไขเพิ่มเติม" in client.get(url).content.decode()

    # Revocation through the registrar's screen (registry app): the entry stays, marked revoked.
    login(client, world["registrar"])
    response = client.post(
        reverse("registryentry:revoke", args=[entry.pk]),
        {"reason": "ไม่ดำเนินงานตามข้อบังคับ", "revoked_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_revoked and entry.revocation_reason == "ไม่ดำเนินงานตามข้อบังคับ"


# --- The road as one definition, against the database ----------------------------------------------

def charter_workflow():
    return WorkflowBinding.objects.get(document_type="pages.charterpage").workflow


def charter_link(step_key):
    model = road_for("charter").step(step_key).task_class
    return WorkflowTask.objects.get(workflow=charter_workflow(), task__in=model.objects.all())


def test_the_database_follows_every_road(home):
    assert road_problems() == []
    assert check_roads() == []
    bindings = {b.document_type: b.workflow for b in WorkflowBinding.objects.select_related("workflow")}
    for road in roads():
        workflow = bindings[document_type(road.document_type).workflow_key]
        assert [type(t.specific) for t in workflow.tasks] == [step.task_class for step in road.steps]
        # Named from the road, in one language: no English in brackets.
        assert all("(" not in t.name for t in workflow.tasks) and "(" not in workflow.name


def test_the_builder_is_idempotent(home):
    build_roads()
    counts = Workflow.objects.count(), Task.objects.count(), WorkflowTask.objects.count()
    assert build_roads() == []
    assert (Workflow.objects.count(), Task.objects.count(), WorkflowTask.objects.count()) == counts
    # Wagtail's default workflow is kept for the pages of the tree, named for what it does.
    assert not Workflow.objects.filter(name="Moderators approval").exists()


def _disable(world):
    Task.objects.filter(pk=charter_link("provincial_review").task_id).update(active=False)


def _remove(world):
    charter_link("local_government_comment").delete()


def _reorder(world):
    first, second = charter_link("committee_review"), charter_link("assembly_adoption")
    WorkflowTask.objects.filter(pk=first.pk).update(sort_order=second.sort_order)
    WorkflowTask.objects.filter(pk=second.pk).update(sort_order=first.sort_order)


def _bind_elsewhere(world):
    WorkflowPage.objects.create(workflow=charter_workflow(), page=world["net_b"])


BENDS = {
    "disabled": (_disable, "step “provincial_review” is disabled"),
    "removed": (_remove, "step “local_government_comment” was removed"),
    "reordered": (_reorder, "not in the road's order"),
    "bound elsewhere": (_bind_elsewhere, "also bound to pages"),
}


@pytest.mark.parametrize("bend", list(BENDS))
def test_a_bent_road_fails_the_check_and_the_builder_mends_it(world, bend):
    bend_it, said = BENDS[bend]
    bend_it(world)
    problems = road_problems()
    assert [key for key, _message in problems] == ["charter"]
    assert said in problems[0][1]
    errors = [e for e in checks.run_checks() if e.id == "workflows.E001"]
    assert len(errors) == 1 and "charter" in errors[0].msg and "build_roads" in errors[0].hint
    with pytest.raises(SystemCheckError, match="The road of “charter” is bent"):
        call_command("check")

    assert build_roads()
    assert road_problems() == []
    assert not WorkflowPage.objects.filter(workflow=charter_workflow()).exists()


def test_a_disabled_step_is_not_skipped_silently(world, client):
    """Disabling a step in Wagtail's Tasks screen used to make the road skip it: the screen refuses."""
    admin = make_admin()
    login(client, admin)
    task_id = charter_link("provincial_review").task_id
    response = client.post(reverse("wagtailadmin_workflows:disable_task", args=[task_id]))
    assert response.status_code == 302
    assert Task.objects.get(pk=task_id).active
    assert road_problems() == []
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Nothing was changed" in m or "workflows/road.py" in m for m in messages)


def make_admin():
    return make_user("road_admin", is_superuser=True, admin_access=True)


@pytest.mark.parametrize(
    "view, target",
    [
        ("wagtailadmin_workflows:edit", "workflow"),
        ("wagtailadmin_workflows:disable", "workflow"),
        ("wagtailadmin_workflows:edit_task", "task"),
    ],
)
def test_the_admin_refuses_changes_to_a_road(world, client, view, target):
    login(client, make_admin())
    workflow = charter_workflow()
    pk = workflow.pk if target == "workflow" else charter_link("committee_review").task_id
    names = lambda: (Workflow.objects.get(pk=workflow.pk).name, Task.objects.get(pk=charter_link("committee_review").task_id).name)  # noqa: E731
    before = road_problems(), names()
    response = client.post(reverse(view, args=[pk]), {"name": "ทางลัด", "active": ""})
    assert response.status_code == 302
    assert (road_problems(), names()) == before
    assert Workflow.objects.get(pk=workflow.pk).active


def test_the_admin_shows_what_a_road_is_bound_to(world, client):
    login(client, make_admin())
    response = client.get(reverse("wagtailadmin_workflows:edit", args=[charter_workflow().pk]))
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("workflows/road.py" in m for m in messages)


def test_a_sixth_step_reusing_a_role_is_the_definition_and_its_class(world):
    """A road declared in memory with one more step, at the chair or secretary (an existing class
    standing for the new step's class): the builder adds it in place and the check holds it."""
    charter = road_for("charter")
    sixth = Step(
        key="committee_confirms_registration",
        task_model="workflows.MinutesCertificationTask",
        actors=actors.CHAIR_OR_SECRETARY,
        label="Committee confirms",
        waiting_label="Awaiting the committee's confirmation",
        description="",
        actions=(Action("approve", "Confirm"),),
    )
    longer = Road(charter.document_type, charter.name, (*charter.steps, sixth))
    longer_roads = (longer,)
    assert [key for key, _m in road_problems(road_list=longer_roads)] == ["charter"]  # not built yet
    assert build_roads(road_list=longer_roads)
    assert road_problems(road_list=longer_roads) == []
    assert build_roads(road_list=longer_roads) == []
    steps = [type(t.specific) for t in charter_workflow().tasks]
    assert len(steps) == 6 and steps[-1] is sixth.task_class
    # Against the road as it is in workflows/road.py, the database now has a step too many.
    assert "not on the road" in road_problems()[0][1]


def test_the_create_form_names_the_documents_road(world, client):
    login(client, world["member_a"])
    url = reverse("wagtailadmin_pages:add", args=["pages", "charterpage", world["net_a"].pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moderators approval" not in html
    with translation.override("th"):  # the admin speaks Thai; the road's name is worded per language
        name = str(charter_workflow().name)
        label = translation.gettext("Submit to %(workflow_name)s") % {"workflow_name": name}
    assert name in html
    assert label in html
