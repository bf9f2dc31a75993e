"""What people see: the state in listings and on the edit screen, the adoption dialog, the queue;
and the shorter workflows of minutes and action plans. Then the refusals: a clear message, and nothing
changed."""

import json

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Revision, TaskState, WorkflowState

from core import providers
from pages.models import ActionPlanPage, CharterPage
from tests.people.formdata import page_edit_form
from workflows.middleware import WorkflowActionErrorMiddleware
from workflows.models import AssemblyAdoptionTask, StepApproval, StepDecision, workflow_for
from workflows.queue_panel import task_states_user_can_act_on
from workflows.road import step_for_task
from workflows.status import document_status
from workflows.thresholds import already_approved_message

from .conftest import (
    CHECKLIST_ALL,
    action_url,
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


@pytest.mark.walked_to("adoption")
def test_adoption_dialog_offers_only_the_networks_own_minutes(world, client):
    charter = world["charter"]
    login(client, world["chair_a"])
    response = client.get(
        action_url(charter, "approve", current_task_state(charter)), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    html = json.loads(response.content)["html"]
    assert f'value="{world["minutes_a"].adoption_item.pk}"' in html
    assert f'value="{world["minutes_a"].pk}"' in html
    assert f'value="{world["minutes_b"].pk}"' not in html
    assert f'value="{world["minutes_b"].adoption_item.pk}"' not in html
    assert 'for="id_agenda_item"' in html


def test_state_in_listing_and_edit_screen(world, client):
    charter = world["charter"]
    with translation.override("en"):
        assert str(document_status(charter)) == "draft"
    run_to(client, world, "local")
    login(client, world["chair_a"])
    listing = client.get(reverse("wagtailadmin_explore", args=[world["net_a"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    expected = str(translation.gettext("Awaiting the local government's comment"))
    html = listing.content.decode()
    with translation.override("th"):
        label_th = str(document_status(charter.__class__.objects.get(pk=charter.pk)))
    assert escape(label_th) in html
    edit = client.get(edit_url(charter)).content.decode()
    assert escape(label_th) in edit
    assert expected  # the English msgid exists


def test_state_column_costs_no_query_per_row(world, client, monkeypatch):
    """The state column reads only what Wagtail's listing prefetches: the listing of four documents in
    review runs exactly as many queries with our state labels as with a constant label. (Wagtail's own
    per-row work, e.g. the workflow lock, is not ours to count here.)"""

    submit_via_editor(login(client, world["member_a"]), world["charter"])
    for i in range(3):
        extra = world["net_a"].add_child(
            instance=CharterPage(title=f"ร่างข้อบังคับ {i}", version_label="ร่าง", live=False)
        )
        extra.save_revision(user=world["member_a"])
        workflow_for(extra).start(extra, world["member_a"])
    login(client, world["chair_a"])
    url = reverse("wagtailadmin_explore", args=[world["net_a"].pk])

    def listing_queries():
        client.get(url)  # warm the content type and session caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    with_labels, html = listing_queries()
    with translation.override("th"):
        label = escape(str(translation.gettext("Awaiting committee review")))
    assert html.count(label) >= 4
    # The page models ask core.providers for their state in words (workflows registers it).
    monkeypatch.setattr(providers.document_status, "_implementation", lambda page: "constant")
    constant, constant_html = listing_queries()
    assert constant_html.count("constant") >= 4  # the patch took effect
    assert with_labels == constant


@pytest.mark.walked_to("provincial")
def test_review_queue_is_limited_to_the_officers_province(world, client):
    task_state = current_task_state(world["charter"])
    assert list(task_states_user_can_act_on(world["officer_57"]).values_list("pk", flat=True)) == [
        task_state.pk
    ]
    assert not task_states_user_can_act_on(world["officer_11"]).exists()
    assert not task_states_user_can_act_on(world["chair_b"]).exists()
    login(client, world["officer_57"])
    assert world["charter"].title in client.get(reverse("wagtailadmin_home")).content.decode()
    login(client, world["officer_11"])
    assert world["charter"].title not in client.get(reverse("wagtailadmin_home")).content.decode()


def submit_page(client, user, page):
    data = page_edit_form(login(client, user), page)
    data["action-submit"] = "1"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return current_task_state(page)


def assert_only_one_decides(client, world, page, step_key, outsiders, decider):
    """Submitted, `page` waits at `step_key`; the approvals of `outsiders` change nothing, `decider`'s
    publishes it."""
    task_state = submit_page(client, world["member_a"], page)
    assert step_for_task(task_state.task).key == step_key
    for outsider in outsiders:
        decide(client, world[outsider], page, task_state=task_state)
        assert current_task_state(page).pk == task_state.pk
    response = decide(client, world[decider], page, task_state=task_state)
    assert not error_messages(client, response)
    page.refresh_from_db()
    assert page.live


def test_minutes_are_certified_by_chair_or_secretary_then_published(world, client):
    minutes = world["minutes_a"]
    assert_only_one_decides(client, world, minutes, "minutes_certification",
                            ("member_a", "chair_b", "officer_57"), "secretary_a")
    assert client.get(minutes.get_url()).status_code == 200


def test_action_plan_is_approved_by_the_chair_only(world, client):
    plan = world["net_a"].add_child(
        instance=ActionPlanPage(title="แผนปฏิบัติการ ๒๕๖๙", fiscal_year=2569, live=False)
    )
    plan.save_revision(user=world["member_a"])
    assert_only_one_decides(client, world, plan, "action_plan_approval", ("secretary_a", "member_a", "chair_b"),
                            "chair_a")


@pytest.mark.walked_to("local")
def test_outside_reviewer_decides_from_the_editor_without_changing_the_text(world, client):
    """The local office, the officer and the registrar see their actions in the editor; acting there
    records the decision and saves nothing of the form, even when the form was altered."""

    charter = world["charter"]
    login(client, world["local_a"])
    html = client.get(edit_url(charter)).content.decode()
    assert 'data-workflow-action-name="approve"' in html
    data = charter_form_data(client, charter)
    revisions = Revision.objects.for_instance(charter).count()

    # Saving is refused.
    response = client.post(edit_url(charter), dict(data, title="ชื่อที่ อปท. แก้"))
    assert th(
        "The text cannot be changed at this step. To have it changed, request changes: it goes back "
        "to the drafters. Nothing was saved."
    ) in " ".join(error_messages(client, response))
    # Acting without the required comment is refused; with it, the step is decided and the text kept.
    action = {"action-workflow-action": "1", "workflow-action-name": "approve"}
    response = client.post(
        edit_url(charter), dict(data, title="ชื่อที่ อปท. แก้", **action, **{"workflow-action-extra-data": "{}"})
    )
    assert th("A comment is required at this step.") in " ".join(error_messages(client, response))
    assert step_for_task(current_task_state(charter).task).key == "local_government_comment"
    extra = json.dumps({"comment": "อบต.เวียงเห็นชอบ"})
    response = client.post(
        edit_url(charter), dict(data, title="ชื่อที่ อปท. แก้", **action, **{"workflow-action-extra-data": extra})
    )
    recorded = th("Your decision on “%(title)s” was recorded.", title=charter.title)
    assert any(recorded in str(m) for m in get_messages(response.wsgi_request))
    assert step_for_task(current_task_state(charter).task).key == "provincial_review"
    assert Revision.objects.for_instance(charter).count() == revisions
    assert Revision.objects.for_instance(charter).order_by("-pk").first().as_object().title == charter.title


# --- Refusals: a clear message, nothing changed ---------------------------------------------------

NOT_AWAITING = th(
    "This step is not awaiting a decision any more (it may have been decided already). Nothing was changed."
)
GIVE_REASON = th("Give the reason, so that the drafters know what to change.")


@pytest.mark.walked_to("adoption")
def test_approving_a_step_not_in_progress(world, client):
    charter = world["charter"]
    decided = TaskState.objects.filter(status=TaskState.STATUS_APPROVED).get()
    before = TaskState.objects.count(), StepDecision.objects.count()
    response = decide(client, world["chair_a"], charter, task_state=decided, comment="อีกครั้ง")
    assert response.status_code == 302
    assert NOT_AWAITING in " ".join(error_messages(client, response))
    assert (TaskState.objects.count(), StepDecision.objects.count()) == before


@pytest.mark.walked_to("committee")
def test_double_submit_of_a_decision(world, client):
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


@pytest.mark.walked_to("committee")
def test_send_back_without_a_reason(world, client):
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


@pytest.mark.walked_to("adoption")
@pytest.mark.parametrize("which", ["other_network", "inquorate", "foreign_item"])
def test_adoption_citing_wrong_minutes(world, client, which):
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


@pytest.mark.walked_to("provincial")
def test_forwarding_an_incomplete_file_is_refused(world, client):
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


@pytest.mark.walked_to("provincial")
def test_request_changes_resumes_at_the_step_that_asked(world, client):
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


@pytest.mark.walked_to("provincial")
def test_rejection_ends_the_application(world, client):
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


@pytest.mark.walked_to("provincial")
def test_the_editor_reads_the_workflow_once(world, client, django_assert_max_num_queries):
    """The officer's editor of a charter at their step: Wagtail's many questions about the workflow (lock,
    action menu, side panels, header buttons) answer from one read (workflows.wagtail_hooks), and the
    step's actors ask the charter's province once (people.roles). 108 queries when each asked again."""
    login(client, world["officer_57"])
    client.get(edit_url(world["charter"]))  # content types, locales and the like, cached once per process
    with django_assert_max_num_queries(70):
        response = client.get(edit_url(world["charter"]))
    assert response.status_code == 200
    # Still the same screen: the officer is offered the step's approval.
    assert 'data-workflow-action-name="approve"' in response.content.decode()


@pytest.mark.walked_to("committee")
def test_the_decision_check_asks_one_query_whatever_it_answers(world, rf, django_assert_num_queries):
    """The middleware's check before a decision (workflows.middleware): still open, already approved by
    this signer, or no longer awaiting a decision, each in one query."""
    charter, chair = world["charter"], world["chair_a"]
    task_state = current_task_state(charter)
    check = WorkflowActionErrorMiddleware(lambda request: None).process_view

    def answer(task_state_id):
        url = reverse("wagtailadmin_pages:workflow_action", args=[charter.pk, "approve", task_state_id])
        request = rf.post(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        request.user = chair
        with django_assert_num_queries(1):
            response = check(request, None, (), {})
        return response and json.loads(response.content)["error"]

    assert answer(task_state.pk) is None  # open: Wagtail's view decides
    assert answer(task_state.pk + 1000) == NOT_AWAITING
    StepApproval.objects.create(task_state=task_state, user=chair)
    assert answer(task_state.pk) == already_approved_message()
