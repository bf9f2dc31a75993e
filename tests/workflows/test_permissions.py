"""Who may do what, at each state of the charter's road, through the admin's real endpoints.

For every role × state: opening the document, saving an edit, each workflow action (the action dialog
answers only to those who may take it; a POST by anyone else changes nothing) and the review queue.
A cross-network or cross-province allow fails the test."""

import pytest
from django.db import transaction
from wagtail.models import Revision, TaskState, WorkflowState

from .conftest import (
    action_url,
    current_task_state,
    edit_url,
    error_messages,
    login,
    run_to,
    th,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "chair_a", "chair_b", "local_a", "officer_57", "officer_11", "registrar"]
ACTIONS = ["approve", "reject", "reject_application"]

# state: (who may open it in the editor, who may save an edit, {action: who may take it})
EXPECTED = {
    "draft": ({"member_a", "chair_a"}, {"member_a", "chair_a"}, {}),
    "committee": ({"member_a", "chair_a"}, {"chair_a"}, {"approve": {"chair_a"}, "reject": {"chair_a"}}),
    "adoption": ({"member_a", "chair_a"}, {"chair_a"}, {"approve": {"chair_a"}, "reject": {"chair_a"}}),
    "local": ({"member_a", "chair_a", "local_a"}, set(), {"approve": {"local_a"}}),
    "provincial": (
        {"member_a", "chair_a", "officer_57"},
        set(),
        {a: {"officer_57"} for a in ACTIONS},
    ),
    "registration": ({"member_a", "chair_a", "registrar"}, set(), {a: {"registrar"} for a in ACTIONS}),
}


def user_of(world, role):
    return None if role == "anonymous" else world[role]


def test_permission_matrix(world, client, drafters_form):
    """Every state in turn, each reached through the admin from the one before (the road is walked once,
    not once per state); what the roles do at a state is rolled back before the road goes on."""
    charter = world["charter"]
    # The edit form as its drafters see it, posted by each role below with a changed title.
    form = drafters_form
    outcomes, expected = {}, {}
    for state in EXPECTED:
        if state != "draft":
            run_to(client, world, state)
        task_state = current_task_state(charter)
        with transaction.atomic():
            outcomes[state] = roles_at(world, client, charter, form, state, task_state)
            assert current_task_state(charter) == task_state, state
            transaction.set_rollback(True)
        expected[state] = expected_at(state, task_state)
    assert outcomes == expected


def roles_at(world, client, charter, form, state, task_state):
    """{role: {what: whether the role could}} at `state`."""
    may_act = EXPECTED[state][2]
    outcomes = {}
    for role in ROLES:
        user = user_of(world, role)
        login(client, user)
        row = {}
        row["view"] = client.get(edit_url(charter)).status_code == 200

        revisions = Revision.objects.for_instance(charter).count()
        data = dict(form, title=f"แก้โดย {role}")
        client.post(edit_url(charter), data)
        latest = Revision.objects.for_instance(charter).order_by("-pk").first()
        row["edit"] = (
            Revision.objects.for_instance(charter).count() > revisions
            and latest.as_object().title == f"แก้โดย {role}"
        )

        if task_state is not None:
            for action in ACTIONS:
                response = client.get(
                    action_url(charter, action, task_state), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
                )
                row[action] = response.status_code == 200
                expected = role in may_act.get(action, set())
                if not expected:
                    # A forged POST changes nothing either.
                    client.post(
                        action_url(charter, action, task_state), {"comment": "ปลอม", "conditions": ""}
                    )
                    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS, (
                        state,
                        role,
                        action,
                    )
            queue = (
                task_state.task.specific.get_task_states_user_can_moderate(user)
                if user
                else TaskState.objects.none()
            )
            row["queue"] = queue.filter(pk=task_state.pk).exists()
        outcomes[role] = row
    return outcomes


def expected_at(state, task_state):
    may_view, may_edit, may_act = EXPECTED[state]
    expected = {}
    for role in ROLES:
        row = {"view": role in may_view, "edit": role in may_edit}
        if task_state is not None:
            for action in ACTIONS:
                row[action] = role in may_act.get(action, set())
            row["queue"] = role in may_act.get("approve", set())
        expected[role] = row
    return expected


@pytest.mark.parametrize("role", ["member_a", "chair_a", "chair_b", "local_a", "officer_57", "registrar"])
def test_who_may_submit(world, client, drafters_form, role):
    charter = world["charter"]
    login(client, world[role])
    client.post(edit_url(charter), dict(drafters_form, **{"action-submit": "1"}))
    submitted = current_task_state(charter) is not None
    assert submitted == (role in {"member_a", "chair_a"})


@pytest.mark.parametrize(
    "state,role",
    [
        pytest.param(state, role, marks=pytest.mark.walked_to(state))
        for state, role in (("local", "local_a"), ("provincial", "officer_57"), ("registration", "registrar"))
    ],
)
def test_outside_reviewer_cannot_cancel_nor_save_text_by_cancelling(world, client, drafters_form, state, role):
    """Wagtail lets anyone offered "approve" cancel the workflow from the editor, saving their form as
    it does; a reviewer outside the network is refused both, and told so."""

    charter = world["charter"]
    form = drafters_form  # taken in the draft, before the walk to `state`
    task_state = current_task_state(charter)
    revisions = Revision.objects.for_instance(charter).count()

    login(client, world[role])
    assert 'name="action-cancel-workflow"' not in client.get(edit_url(charter)).content.decode()
    response = client.post(
        edit_url(charter), dict(form, title="แก้โดยผู้ตรวจภายนอก", **{"action-cancel-workflow": "1"})
    )

    assert response.status_code == 302
    assert [m.strip() for m in error_messages(client, response)] == [
        th(
            "Only the drafters may cancel the workflow. Decide with this step's actions instead. Nothing was changed."
        )
    ]
    assert WorkflowState.objects.for_instance(charter).get(pk=task_state.workflow_state_id).status == (
        WorkflowState.STATUS_IN_PROGRESS
    )
    assert current_task_state(charter) == task_state
    assert Revision.objects.for_instance(charter).count() == revisions


@pytest.mark.walked_to("local")
def test_drafter_may_still_cancel_at_an_outside_step(world, client, drafters_form):
    charter = world["charter"]
    form = drafters_form  # taken in the draft, before the walk
    task_state = current_task_state(charter)
    login(client, world["member_a"])
    assert 'name="action-cancel-workflow"' in client.get(edit_url(charter)).content.decode()
    client.post(edit_url(charter), dict(form, **{"action-cancel-workflow": "1"}))
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == WorkflowState.STATUS_CANCELLED
