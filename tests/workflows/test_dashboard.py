"""The "Awaiting my action" dashboard panel: what it lists, to whom, in which order, and how many
queries it costs. Wagtail's stock GroupApprovalTask stands in for any task type; the project's own
provincial review task checks the province scoping."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowTask

from people.models import ProvincialOfficerAssignment
from tests.factories import add_charter, add_province, make_user
from workflows import queue_panel as dashboard
from workflows.models import ProvincialReviewTask
from workflows.queue_panel import AwaitingMyActionPanel

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    group = Group.objects.create(name="registry-tests moderators")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


@pytest.fixture
def group_workflow(moderators):
    task = GroupApprovalTask.objects.create(name="ตรวจทานโดยกลุ่ม")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="ขั้นตอนทดสอบ")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@pytest.fixture
def moderator(django_user_model, moderators):
    user = make_user("moderator", admin_access=True)
    user.groups.add(moderators)
    return user


def submit(workflow, charter, user, days_ago):
    """Put `charter` in `workflow` and pretend its current step started `days_ago` days ago."""
    charter.save_revision(user=user)
    workflow_state = workflow.start(charter, user)
    state = workflow_state.current_task_state
    TaskState.objects.filter(pk=state.pk).update(started_at=timezone.now() - datetime.timedelta(days=days_ago, hours=1))
    return state


def charters(home, count, province_code="57"):
    result = []
    for i in range(count):
        network = add_province(home, province_code, title=f"เครือข่าย {province_code}-{i}")
        result.append(add_charter(network, publish=True))
    return result


def panel_items(user):
    return AwaitingMyActionPanel().get_items(user)


def test_lists_the_steps_oldest_first_with_waiting_time_and_overdue(
    home, group_workflow, moderator, monkeypatch
):
    monkeypatch.setitem(dashboard.DEFAULT_OVERDUE_AFTER_DAYS, "wagtailcore.groupapprovaltask", 14)
    pages = charters(home, 3)
    for page, days in zip(pages, (3, 20, 15), strict=True):
        submit(group_workflow, page, moderator, days)

    items, total = panel_items(moderator)
    assert total == 3
    assert [item["object"].pk for item in items] == [pages[1].pk, pages[2].pk, pages[0].pk]
    assert [item["waited_days"] for item in items] == [20, 15, 3]
    assert [item["is_overdue"] for item in items] == [True, True, False]
    assert items[0]["network"].pk == pages[1].network_id
    assert items[0]["edit_url"] == f"/admin/pages/{pages[1].pk}/edit/"
    assert items[0]["task"].name == "ตรวจทานโดยกลุ่ม"


def test_only_states_the_user_may_act_on(home, group_workflow, moderator, django_user_model):
    for page in charters(home, 2):
        submit(group_workflow, page, moderator, 1)
    outsider = make_user("outsider", admin_access=True)
    assert panel_items(outsider) == ([], 0)
    # A finished step is no longer waiting.
    state = TaskState.objects.first()
    state.reject(user=moderator)
    assert panel_items(moderator)[1] == 1
    # A deactivated task drops out.
    GroupApprovalTask.objects.filter(name="ตรวจทานโดยกลุ่ม").update(active=False)
    assert panel_items(moderator) == ([], 0)


def test_query_count_does_not_grow_with_the_items(home, group_workflow, moderator):
    request = RequestFactory().get("/admin/")
    request.user = moderator

    captured_many = []

    def render_and_count():
        user = type(moderator).objects.get(pk=moderator.pk)  # no role cache carried over
        request.user = user
        with CaptureQueriesContext(connection) as captured:
            html = AwaitingMyActionPanel().render_html({"request": request, "csrf_token": "x"})
        captured_many[:] = captured.captured_queries
        return html, len(captured)

    for page in charters(home, 2):
        submit(group_workflow, page, moderator, 2)
    html, few = render_and_count()
    assert html.count('<tr') == 3  # header + 2 rows

    for page in charters(home, 8, province_code="50"):
        submit(group_workflow, page, moderator, 2)
    html, many = render_and_count()
    assert html.count('<tr') == 11
    assert many <= few, "\n".join(q["sql"][:300] for q in captured_many)
    # Fixed cost: the tasks (one query per task type), the user's roles, the states, the documents.
    assert many <= 40


def test_only_the_first_items_are_listed_and_the_rest_counted(home, group_workflow, moderator, monkeypatch):
    monkeypatch.setattr(AwaitingMyActionPanel, "max_items", 2)
    for page in charters(home, 3):
        submit(group_workflow, page, moderator, 1)
    items, total = panel_items(moderator)
    assert len(items) == 2 and total == 3


def test_dashboard_shows_the_panel_instead_of_wagtails_own(client, home, group_workflow, moderator):
    page = charters(home, 1)[0]
    submit(group_workflow, page, moderator, 30)
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="awaiting-my-action-section"' in html
    assert 'id="awaiting-review-section"' not in html  # Wagtail's panel, replaced
    assert page.title in html
    assert html.count('data-overdue="true"') == 0  # the stock task has no deadline of its own


def test_provincial_review_is_scoped_to_the_officers_province_and_overdue_after_14_days(
    home, django_user_model
):
    task = ProvincialReviewTask.objects.create(name="พมจ. ตรวจสอบ")
    workflow = Workflow.objects.create(name="คำขอรับรอง")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    submitter = make_user("submitter", admin_access=True)
    chiang_rai = charters(home, 2, "57")
    chiang_mai = charters(home, 1, "50")
    submit(workflow, chiang_rai[0], submitter, 15)
    submit(workflow, chiang_rai[1], submitter, 2)
    submit(workflow, chiang_mai[0], submitter, 40)

    officer = make_user("officer57", admin_access=True)
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="57")
    items, total = panel_items(officer)
    assert total == 2
    assert [item["object"].pk for item in items] == [chiang_rai[0].pk, chiang_rai[1].pk]
    assert [item["is_overdue"] for item in items] == [True, False]
    assert items[0]["overdue_after_days"] == 14

    request = RequestFactory().get("/admin/")
    request.user = officer
    html = AwaitingMyActionPanel().render_html({"request": request, "csrf_token": "x"})
    assert html.count('data-overdue="true"') == 1
    assert html.index(chiang_rai[0].title) < html.index(chiang_rai[1].title)
    assert chiang_mai[0].title not in html

    other = make_user("officer50", admin_access=True)
    ProvincialOfficerAssignment.objects.create(user=other, province_code="50")
    assert [item["object"].pk for item in panel_items(other)[0]] == [chiang_mai[0].pk]


def test_panel_shows_the_first_15_and_links_to_the_whole_queue(client, home, group_workflow, moderator):
    assert AwaitingMyActionPanel.max_items == 15
    for page in charters(home, 17):
        submit(group_workflow, page, moderator, 1)
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    panel = html.split('id="awaiting-my-action-section"', 1)[1].split("</section>", 1)[0]
    assert panel.count("<tr") == 1 + 15
    link = panel.split("data-awaiting-see-all", 1)[1].split("</a>", 1)[0]
    assert "17" in link
    assert 'href="/admin/awaiting-my-action/"' in panel
    assert client.get("/admin/awaiting-my-action/").status_code == 200


def test_overdue_steps_come_before_older_ones_that_have_no_deadline(home, group_workflow, moderator):
    provincial = Workflow.objects.create(name="คำขอรับรอง")
    WorkflowTask.objects.create(workflow=provincial, task=ProvincialReviewTask.objects.get(), sort_order=0)
    ProvincialOfficerAssignment.objects.create(user=moderator, province_code="57")
    no_deadline_old, overdue, fresh = charters(home, 3)
    submit(group_workflow, no_deadline_old, moderator, 40)  # the stock task has no deadline
    submit(provincial, overdue, moderator, 15)  # over the 14 days of the provincial review
    submit(provincial, fresh, moderator, 2)
    items, total = panel_items(moderator)
    assert total == 3
    assert [item["object"].pk for item in items] == [overdue.pk, no_deadline_old.pk, fresh.pk]
    assert [item["is_overdue"] for item in items] == [True, False, False]
