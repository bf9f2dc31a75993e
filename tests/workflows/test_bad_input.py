"""Refusals: clear message, nothing changed."""

import json

import pytest
from django.utils import translation
from django.utils.html import escape
from wagtail.models import TaskState, WorkflowState

from workflows.models import AssemblyAdoptionTask, StepDecision
from workflows.road import step_for_task

from .conftest import (
    CHECKLIST_ALL,
    charter_form_data,
    current_task_state,
    decide,
    edit_url,
    error_messages,
    login,
    run_to,
    submit_via_editor,
    th,
)

pytestmark = pytest.mark.django_db

NOT_AWAITING = th(
    "This step is not awaiting a decision any more (it may have been decided already). Nothing was changed."
)
GIVE_REASON = th("Give the reason, so that the drafters know what to change.")


def test_approving_a_step_not_in_progress(world, client):
    run_to(client, world, "adoption")
    charter = world["charter"]
    decided = TaskState.objects.filter(status=TaskState.STATUS_APPROVED).get()
    before = TaskState.objects.count(), StepDecision.objects.count()
    response = decide(client, world["chair_a"], charter, task_state=decided, comment="อีกครั้ง")
    assert response.status_code == 302
    assert NOT_AWAITING in " ".join(error_messages(client, response))
    assert (TaskState.objects.count(), StepDecision.objects.count()) == before


def test_double_submit_of_a_decision(world, client):
    run_to(client, world, "committee")
    charter = world["charter"]
    task_state = current_task_state(charter)
    first = decide(client, world["chair_a"], charter, task_state=task_state)
    assert first.status_code == 302 and not error_messages(client, first)
    second = decide(client, world["chair_a"], charter, task_state=task_state)
    assert NOT_AWAITING in " ".join(error_messages(client, second))
    assert StepDecision.objects.count() == 1
    assert step_for_task(current_task_state(charter).task).key == "assembly_adoption"


def test_double_submit_of_the_application(world, client):
    charter = world["charter"]
    login(client, world["member_a"])
    data = charter_form_data(client, charter)
    data["action-submit"] = "1"
    assert client.post(edit_url(charter), data).status_code == 302
    response = client.post(edit_url(charter), data)
    assert WorkflowState.objects.for_instance(charter).count() == 1
    assert TaskState.objects.count() == 1
    assert response.status_code in (200, 302)


def test_send_back_without_a_reason(world, client):
    run_to(client, world, "committee")
    charter = world["charter"]
    response = decide(client, world["chair_a"], charter, action="reject", xhr=True, comment="   ")
    assert response.status_code == 200
    assert escape(GIVE_REASON) in json.loads(response.content)["html"]
    assert current_task_state(charter).status == TaskState.STATUS_IN_PROGRESS
    # Through the edit view (whose extra data Wagtail does not validate) it is refused too.
    login(client, world["chair_a"])
    data = charter_form_data(client, charter)
    data.update(
        {"action-workflow-action": "1", "workflow-action-name": "reject", "workflow-action-extra-data": "{}"}
    )
    response = client.post(edit_url(charter), data)
    assert GIVE_REASON in " ".join(error_messages(client, response))
    assert current_task_state(charter).status == TaskState.STATUS_IN_PROGRESS
    assert not StepDecision.objects.exists()


@pytest.mark.parametrize("which", ["other_network", "inquorate", "foreign_item"])
def test_adoption_citing_wrong_minutes(world, client, which):
    run_to(client, world, "adoption")
    charter = world["charter"]
    minutes = {
        "other_network": world["minutes_b"],
        "inquorate": world["inquorate_a"],
        "foreign_item": world["minutes_a"],
    }[which]
    item = world["minutes_b"].adoption_item if which == "foreign_item" else minutes.adoption_item
    response = decide(client, world["secretary_a"], charter, minutes=minutes.pk, agenda_item=item.pk)
    message = " ".join(error_messages(client, response))
    expected = {
        "other_network": th(
            "The minutes cited must be minutes of this charter's own network. Nothing was changed."
        ),
        "inquorate": th(
            "Meeting %(number)s had no quorum (%(present)s of %(size)s committee members present): "
            "it could not adopt the charter. Nothing was changed.",
            number=minutes.number_label,
            present=2,
            size=5,
        ),
        "foreign_item": th("The agenda item cited is not an item of these minutes. Nothing was changed."),
    }[which]
    assert expected in message
    assert step_for_task(current_task_state(charter).task).key == "assembly_adoption"
    assert not StepDecision.objects.filter(task_state__task__in=AssemblyAdoptionTask.objects.all()).exists()


def test_forwarding_an_incomplete_file_is_refused(world, client):
    run_to(client, world, "provincial")
    charter = world["charter"]
    incomplete = dict(CHECKLIST_ALL)
    incomplete.pop("office_one_year")
    response = decide(client, world["officer_57"], charter, xhr=True, **incomplete)
    expected = th(
        "The file is incomplete (%(missing)s): request changes instead of forwarding it.",
        missing=th("An office in the locality for at least one year"),
    )
    assert escape(expected) in json.loads(response.content)["html"]
    assert step_for_task(current_task_state(charter).task).key == "provincial_review"


def test_request_changes_resumes_at_the_step_that_asked(world, client):
    run_to(client, world, "provincial")
    charter = world["charter"]
    response = decide(
        client, world["officer_57"], charter, action="reject", comment="ขาดบัญชีรายชื่อกรรมการ", **CHECKLIST_ALL
    )
    assert not error_messages(client, response)
    state = WorkflowState.objects.for_instance(charter).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment.endswith("ขาดบัญชีรายชื่อกรรมการ")
    # The drafters edit and submit again: it resumes at provincial review.
    login(client, world["member_a"])
    assert submit_via_editor(client, charter, preamble="แนบบัญชีรายชื่อกรรมการแล้ว").status_code == 302
    assert step_for_task(current_task_state(charter).task).key == "provincial_review"
    decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert step_for_task(current_task_state(charter).task).key == "registration"


def test_rejection_ends_the_application(world, client):
    run_to(client, world, "provincial")
    charter = world["charter"]
    response = decide(
        client, world["officer_57"], charter, action="reject_application", comment="ไม่มีผลการดำเนินงานหนึ่งปี"
    )
    assert not error_messages(client, response)
    state = WorkflowState.objects.for_instance(charter).get()
    assert state.status == WorkflowState.STATUS_CANCELLED
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment.endswith("ไม่มีผลการดำเนินงานหนึ่งปี")
    assert StepDecision.objects.get(task_state=rejected).kind == "rejected"
    charter.refresh_from_db()
    assert not charter.live
    # The edit screen says so.
    login(client, world["member_a"])
    with translation.override("th"):
        step = translation.gettext("Provincial review")
        label = escape(translation.gettext("application rejected at “%(step)s”") % {"step": step})
    assert label in client.get(edit_url(charter)).content.decode()
    # Without a reason it is refused.
    run_to(client, world, "provincial")
    response = decide(client, world["officer_57"], charter, action="reject_application", xhr=True, comment="")
    assert escape(th("Give the reason for this decision.")) in json.loads(response.content)["html"]
