"""k-of-n approval at threshold-capable steps (workflows.thresholds): the default k = 1 keeps the road as
it was; k = 2 of 3 officers (four-eyes at the provincial review) shows the progress everywhere and moves
on with the second approval only; a signer cannot approve twice; a request for changes ends the round;
k is bounded by the people holding the role and set only by the entitled; and two signers approving at
the same moment move the step on exactly once (PostgreSQL, two threads)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import translation
from wagtail.models import TaskState, WorkflowState

from tests.factories import make_provincial_officer
from workflows.actions import perform_action
from workflows.errors import WorkflowActionRefused
from workflows.models import ApprovalThreshold, StepApproval, StepDecision
from workflows.my_documents import NetworkDocuments
from workflows.queue_panel import AwaitingMyActionPanel
from workflows.state import document_state, word_state
from workflows.thresholds import set_threshold

from .conftest import (
    CHECKLIST_ALL,
    build_world,
    current_task_state,
    decide,
    error_messages,
    login,
    run_to,
    submit_via_editor,
    th,
)

THRESHOLDS_URL = "/admin/approval-thresholds/"


def step_name(page):
    return type(current_task_state(page).task.specific).__name__


def words(page):
    with translation.override("en"):
        return word_state(document_state(page))


@pytest.fixture
def three_officers(world):
    """officer_57 and two more officers of Chiang Rai; the registrar requires two of them."""
    world["officer_57b"] = make_provincial_officer("officer_57b", "57", email="officer_57b@example.org")
    world["officer_57c"] = make_provincial_officer("officer_57c", "57", email="officer_57c@example.org")
    set_threshold(world["registrar"], "provincial_review", 2, province_code="57")
    return world


@pytest.fixture
def one_of_two_approved(three_officers, client):
    """The charter at the provincial review of `three_officers`, approved by officer_57: one of two."""
    run_to(client, three_officers, "provincial")
    decide(client, three_officers["officer_57"], three_officers["charter"], **CHECKLIST_ALL)
    return three_officers


@pytest.mark.walked_to("done")
@pytest.mark.django_db
def test_k_one_is_todays_road(world, client):
    charter = world["charter"]
    charter.refresh_from_db()
    assert charter.live
    # The signer's approval is recorded at the threshold-capable steps, one per step.
    approvals = StepApproval.objects.filter(task_state__workflow_state__object_id=str(charter.pk))
    assert sorted(a.user.username for a in approvals) == ["chair_a", "officer_57"]
    assert not ApprovalThreshold.objects.exists()


@pytest.mark.django_db
def test_two_of_three_shows_progress_and_moves_on_with_the_second(three_officers, client):
    world = three_officers
    charter = world["charter"]
    run_to(client, world, "provincial")
    assert words(charter) == "Awaiting provincial review (approved 0 of 2)"

    response = decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert response.status_code == 302 and not error_messages(client, response)
    assert step_name(charter) == "ProvincialReviewTask"
    assert words(charter) == "Awaiting provincial review (approved 1 of 2)"
    with translation.override("th"):
        assert "1" in word_state(document_state(charter)) and "2" in word_state(document_state(charter))
    # No closing decision yet.
    assert not StepDecision.objects.filter(task_state=current_task_state(charter)).exists()

    # The dashboard of the drafters and the queue of the officer still to sign say the same.
    with translation.override("en"):
        sections = NetworkDocuments(world["member_a"]).sections()
        rows = [row for section in sections for row in section.rows if row.page.pk == charter.pk]
        assert rows[0].state.label == "Awaiting provincial review (approved 1 of 2)"
        items, _total = AwaitingMyActionPanel().get_items(world["officer_57b"])
        assert [item["task_name"] for item in items if item["object"].pk == charter.pk] == [
            "Provincial review (approved 1 of 2)"
        ]
        # The officer who signed has nothing left to do on it.
        mine, _total = AwaitingMyActionPanel().get_items(world["officer_57"])
        assert charter.pk not in [item["object"].pk for item in mine]

    # The edit screen says it too.
    login(client, world["member_a"])
    with translation.override("en"):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert "1" in html.decode() and "2" in html.decode()

    response = decide(client, world["officer_57b"], charter, **CHECKLIST_ALL)
    assert response.status_code == 302 and not error_messages(client, response)
    assert step_name(charter) == "RegistrationTask"
    provincial = TaskState.objects.get(
        workflow_state__object_id=str(charter.pk), task__name__isnull=False, status=TaskState.STATUS_APPROVED,
        approvals__isnull=False, approvals__user=world["officer_57b"],
    )
    assert StepDecision.objects.filter(task_state=provincial).count() == 1
    assert provincial.approvals.count() == 2


@pytest.mark.django_db
def test_the_same_signer_cannot_approve_twice(one_of_two_approved, client):
    world = one_of_two_approved
    charter = world["charter"]
    task_state = current_task_state(charter)
    task = task_state.task.specific
    with translation.override("en"), pytest.raises(WorkflowActionRefused) as refused:
        perform_action(task, task_state, world["officer_57"], "approve", CHECKLIST_ALL)
    assert refused.value.message == "You have already approved this step in this round. Nothing was changed."
    # Through the admin too: refused, still one approval, still waiting.
    response = decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert error_messages(client, response)
    assert StepApproval.objects.filter(task_state=task_state).count() == 1
    assert step_name(charter) == "ProvincialReviewTask"


@pytest.mark.django_db
def test_a_signer_who_approved_is_offered_nothing_more_in_the_round(one_of_two_approved, client):
    """The editor offers the officer who approved no decision (the queue leaves the step out for them too),
    and the other officers still theirs; a decision posted anyway says why it was refused."""
    world = one_of_two_approved
    charter = world["charter"]
    edit = reverse("wagtailadmin_pages:edit", args=[charter.pk])
    for officer, offered in (("officer_57", False), ("officer_57b", True)):
        html = login(client, world[officer]).get(edit).content.decode()
        for action in ("approve", "reject"):
            assert (f'data-workflow-action-name="{action}"' in html) is offered, (officer, action)
    response = decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert [m.strip() for m in error_messages(client, response)] == [
        th("You have already approved this step in this round. Nothing was changed.")
    ]
    assert StepApproval.objects.filter(task_state=current_task_state(charter)).count() == 1


@pytest.mark.django_db
def test_a_request_for_changes_ends_the_round(one_of_two_approved, client):
    world = one_of_two_approved
    charter = world["charter"]
    first_round = current_task_state(charter)
    response = decide(
        client, world["officer_57b"], charter, "reject", **{**CHECKLIST_ALL, "comment": "ขาดรายชื่อกรรมการ"}
    )
    assert response.status_code == 302 and not error_messages(client, response)
    state = WorkflowState.objects.for_instance(charter).order_by("-created_at").first()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert document_state(charter).reason.endswith("ขาดรายชื่อกรรมการ") or "ขาดรายชื่อกรรมการ" in document_state(
        charter
    ).reason

    response = submit_via_editor(login(client, world["member_a"]), charter)
    assert response.status_code == 302
    second_round = current_task_state(charter)
    assert second_round.pk != first_round.pk and step_name(charter) == "ProvincialReviewTask"
    assert second_round.approvals.count() == 0
    assert words(charter) == "Awaiting provincial review (approved 0 of 2)"
    # The officer who approved the first round signs again in the second.
    decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert words(charter) == "Awaiting provincial review (approved 1 of 2)"


@pytest.mark.django_db
def test_k_cannot_exceed_the_holders(three_officers):
    world = three_officers
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        set_threshold(world["registrar"], "provincial_review", 4, province_code="57")
    assert refused.value.code == "above_holders"
    assert "4 approvals cannot be required: only 3 people hold this role now" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["registrar"], "provincial_review", 0, province_code="57")
    assert refused.value.code == "below_one"
    assert ApprovalThreshold.objects.get(province_code="57").required_approvals == 2
    # The network's committee step: chair and secretary hold it, so at most 2.
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["chair_a"], "committee_review", 3, network=world["net_a"])
    assert refused.value.code == "above_holders"
    assert set_threshold(world["chair_a"], "committee_review", 2, network=world["net_a"]).required_approvals == 2


@pytest.mark.django_db
def test_k_is_read_within_the_holders_when_one_leaves(three_officers, client):
    """An officer leaving after k was set: the step needs all who remain, it never waits forever."""
    world = three_officers
    set_threshold(world["registrar"], "provincial_review", 3, province_code="57")
    world["officer_57c"].is_active = False
    world["officer_57c"].save()
    charter = world["charter"]
    run_to(client, world, "provincial")
    assert words(charter) == "Awaiting provincial review (approved 0 of 2)"


@pytest.mark.django_db
def test_only_the_entitled_set_k(world, client):
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["officer_57"], "provincial_review", 1, province_code="57")
    assert refused.value.code == "not_entitled"
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["member_a"], "committee_review", 1, network=world["net_a"])
    assert refused.value.code == "not_entitled"
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["chair_a"], "committee_review", 1, network=world["net_b"])
    assert refused.value.code == "not_entitled"
    with pytest.raises(ValidationError) as refused:
        set_threshold(world["registrar"], "assembly_adoption", 2, network=world["net_a"])
    assert refused.value.code == "not_threshold_step"
    assert not ApprovalThreshold.objects.exists()

    # The screen: refused to those entitled to nothing; the chair sees their own network only.
    for user in (world["officer_57"], world["member_a"], world["local_a"]):
        assert login(client, user).get(THRESHOLDS_URL).status_code in (302, 403)  # Wagtail: back to the dashboard
    response = login(client, world["chair_a"]).get(THRESHOLDS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert world["net_a"].title in html and world["net_b"].title not in html
    assert 'data-threshold-step="provincial_review"' not in html
    # A forged post for another network is refused on the server, and changes nothing.
    response = client.post(
        THRESHOLDS_URL, {"step_key": "committee_review", "network": world["net_b"].pk, "required_approvals": 1}
    )
    assert response.status_code == 400
    assert not ApprovalThreshold.objects.exists()
    # Too many: refused with the message; within bounds: saved.
    with translation.override("en"):
        response = client.post(
            THRESHOLDS_URL,
            {"step_key": "committee_review", "network": world["net_a"].pk, "required_approvals": 5},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert not ApprovalThreshold.objects.exists()
    response = client.post(
        THRESHOLDS_URL, {"step_key": "committee_review", "network": world["net_a"].pk, "required_approvals": 2}
    )
    assert response.status_code == 302
    assert ApprovalThreshold.objects.get(network=world["net_a"]).required_approvals == 2
    # The registrar sets the provinces' four-eyes rule.
    response = login(client, world["registrar"]).post(
        THRESHOLDS_URL, {"step_key": "provincial_review", "province_code": "57", "required_approvals": 1}
    )
    assert response.status_code == 302
    assert ApprovalThreshold.objects.get(province_code="57").required_approvals == 1


@pytest.mark.django_db
def test_committee_review_by_chair_and_secretary(world, client):
    set_threshold(world["chair_a"], "committee_review", 2, network=world["net_a"])
    charter = world["charter"]
    submit_via_editor(login(client, world["member_a"]), charter)
    decide(client, world["chair_a"], charter, comment="")
    assert step_name(charter) == "CommitteeReviewTask"
    assert words(charter) == "Awaiting committee review (approved 1 of 2)"
    decide(client, world["secretary_a"], charter, comment="")
    assert step_name(charter) == "AssemblyAdoptionTask"


# --- Two signers at the same moment ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks; this test runs on PostgreSQL")
def test_concurrent_kth_approvals_move_the_step_on_exactly_once():
    world = build_world()
    officers = [
        world["officer_57"],
        make_provincial_officer("officer_57b", "57"),
        make_provincial_officer("officer_57c", "57"),
    ]
    set_threshold(world["registrar"], "provincial_review", 2, province_code="57")
    charter = world["charter"]
    charter.save_revision(user=world["member_a"])
    charter.get_workflow().start(charter, world["member_a"])
    minutes = world["minutes_a"]
    moves = [
        (world["chair_a"], {"comment": ""}),
        (world["secretary_a"], {"minutes": minutes.pk, "agenda_item": minutes.adoption_item.pk}),
        (world["local_a"], {"comment": "เห็นควรสนับสนุน"}),
        (officers[0], CHECKLIST_ALL),
    ]
    for user, data in moves:
        task_state = current_task_state(charter)
        perform_action(task_state.task.specific, task_state, user, "approve", data)
    task_state = current_task_state(charter)
    assert type(task_state.task.specific).__name__ == "ProvincialReviewTask"
    assert task_state.approvals.count() == 1

    def pause(sender, instance, **kwargs):
        time.sleep(0.3)  # hold the transaction open after the lock: the other signer arrives meanwhile

    pre_save.connect(pause, sender=StepApproval, dispatch_uid="threshold-tests-slow-approval")
    barrier = threading.Barrier(2)
    results = [None, None]

    def sign(index, officer):
        try:
            barrier.wait(timeout=10)
            state = TaskState.objects.get(pk=task_state.pk)
            results[index] = perform_action(state.task.specific, state, officer, "approve", CHECKLIST_ALL)
        except Exception as exc:  # reported below
            results[index] = exc
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=sign, args=(i, o)) for i, o in enumerate(officers[1:])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        pre_save.disconnect(sender=StepApproval, dispatch_uid="threshold-tests-slow-approval")

    refusals = [r for r in results if isinstance(r, WorkflowActionRefused)]
    assert len(refusals) == 1, results
    assert "not awaiting a decision any more" in refusals[0].message or "ไม่" in refusals[0].message
    assert StepApproval.objects.filter(task_state=task_state).count() == 2
    assert StepDecision.objects.filter(task_state=task_state).count() == 1
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert type(current_task_state(charter).task.specific).__name__ == "RegistrationTask"
    assert TaskState.objects.filter(workflow_state__object_id=str(charter.pk), task__name__isnull=False).filter(
        task_id=current_task_state(charter).task_id
    ).count() == 1
