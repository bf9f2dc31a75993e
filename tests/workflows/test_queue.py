"""The queue "Awaiting my action" (workflows.queue) and the dashboard panel that leads to it, driven through
the admin over HTTP: who sees what, the filters (with values a user may not choose), overdue first across
pages, and a query count that does not grow with the number of waiting steps (30 and 300).

Many waiting steps are made in bulk (`pending_in_bulk`: pages, then WorkflowState and TaskState rows
written directly), since running 300 applications through the workflow would take minutes; one test also
takes an application through the real workflow in the admin and finds it in the queue."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.thaidate import THAI_MONTHS
from core.wagtail_compat import child_page_path, page_path_step
from pages.models import CharterPage
from people.models import ProvincialOfficerAssignment, RegistrarAssignment
from tests.factories import add_province, make_user
from tests.workflows.conftest import (
    run_to,
    world,  # noqa: F401 (a fixture: a tambon network and every role)
)
from workflows.models import ProvincialReviewTask, RegistrationTask, WorkflowBinding
from workflows.queue import AwaitingMyActionView

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/awaiting-my-action/"


def charter_workflow():
    return WorkflowBinding.objects.get(document_type="pages.charterpage").workflow


def of_charter(charter):
    """The generic relation fields of a revision or a workflow state of `charter`."""
    return {
        "content_type": ContentType.objects.get_for_model(CharterPage),
        "base_content_type": ContentType.objects.get_for_model(Page),
        "object_id": str(charter.pk),
    }


def add_charters(network, count, prefix):
    """`count` draft charters under `network`, each with one revision and the log entry of its creation,
    written in bulk: each page's two rows (`save_base`, not Wagtail's `save`: no validation, no search or
    reference index; 300 `add_child` calls took most of the 300-step test), at the tree paths treebeard
    would give them; the log entries, and the revisions, in one INSERT each."""
    network = Page.objects.get(pk=network.pk)  # numchild and the last child as they are now
    last = network.get_last_child()
    first_step = 1 if last is None else page_path_step(last.path) + 1
    charter_type = ContentType.objects.get_for_model(CharterPage)
    charters = []
    with disable_reference_index_auto_update():
        post_save.disconnect(post_save_signal_handler, sender=CharterPage)
        try:
            for i in range(count):
                title = f"{prefix} ข้อบังคับที่ {i + 1:03d}"
                charter = CharterPage(
                    title=title, draft_title=title, slug=f"charter-{i + 1}", version_label="พ.ศ. ๒๕๖๙", live=False,
                    content_type=charter_type, locale_id=network.locale_id, network_id=network.pk,
                    path=child_page_path(network.path, network.depth + 1, first_step + i),
                    depth=network.depth + 1, numchild=0,
                )
                charter.set_url_path(network)
                charter.body_text = charter.plain_text()  # what CharterPage.save keeps
                charter.save_base()
                charters.append(charter)
        finally:
            post_save.connect(post_save_signal_handler, sender=CharterPage)
    Page.objects.filter(pk=network.pk).update(numchild=F("numchild") + count)
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            page_id=charter.pk, content_type=charter_type, label=charter.title, action="wagtail.create",
            content_changed=True, timestamp=now,
        )
        for charter in charters
    )
    revisions = Revision.objects.bulk_create(
        Revision(
            **of_charter(charter),
            object_str=charter.title,
            content={"title": charter.title},
            created_at=now,
        )
        for charter in charters
    )
    for charter, revision in zip(charters, revisions, strict=True):
        charter.latest_revision = revision
    return charters


def pending_in_bulk(charters, task, requested_by, days_ago):
    """Put each charter at `task` of the charter workflow, waiting since `days_ago(i)` days, with rows
    written directly (what Workflow.start and Task.start would write, without the notifications)."""
    workflow = charter_workflow()
    workflow_states = WorkflowState.objects.bulk_create(
        WorkflowState(
            **of_charter(charter),
            workflow=workflow,
            status=WorkflowState.STATUS_IN_PROGRESS,
            requested_by=requested_by,
        )
        for charter in charters
    )
    task_state_type = ContentType.objects.get_for_model(TaskState)
    task_states = TaskState.objects.bulk_create(
        TaskState(
            workflow_state=workflow_state,
            revision_id=charter.latest_revision.pk,
            task=task,
            status=TaskState.STATUS_IN_PROGRESS,
            content_type=task_state_type,
        )
        for charter, workflow_state in zip(charters, workflow_states, strict=True)
    )
    now = timezone.now()
    for i, (workflow_state, task_state) in enumerate(zip(workflow_states, task_states, strict=True)):
        workflow_state.current_task_state = task_state
        task_state.started_at = now - datetime.timedelta(days=days_ago(i), hours=1)
    WorkflowState.objects.bulk_update(workflow_states, ["current_task_state"])
    TaskState.objects.bulk_update(task_states, ["started_at"])
    return task_states


@pytest.fixture
def provincial_review():
    return ProvincialReviewTask.objects.get()


@pytest.fixture
def registration():
    return RegistrationTask.objects.get()


@pytest.fixture
def submitter(django_user_model):
    return make_user("submitter")


@pytest.fixture
def chiang_rai(home):
    return add_province(home, "57", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย")


@pytest.fixture
def samut_prakan(home):
    return add_province(home, "11", title="เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ")


def rows(html):
    """The document titles listed in the queue's table, in order."""
    results = html.split('id="listing-results"', 1)[1]
    body = results.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in results else ""
    return re.findall(r'<div class="title-wrapper">\s*<a[^>]*>\s*([^<]+?)\s*</a>', body)


def get_queue(client, user, **params):
    client.force_login(user)
    response = client.get(QUEUE_URL, params)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()



def province_options(html):
    select = html.split('<select name="province"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d+)"', select)


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(QUEUE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_user_without_an_approver_role_gets_an_empty_list(
    client, django_user_model, chiang_rai, provincial_review, submitter
):
    pending_in_bulk(add_charters(chiang_rai, 2, "เชียงราย"), provincial_review, submitter, lambda i: 20)
    nobody = make_user("nobody", admin_access=True)
    response, html = get_queue(client, nobody)
    assert rows(html) == []
    assert "เชียงราย ข้อบังคับ" not in html
    assert "Nothing is waiting for your action." in html or "ไม่มีงานที่รอท่านดำเนินการ" in html


def test_an_officer_sees_their_own_province_only_and_a_query_string_cannot_widen_it(
    client, officer, chiang_rai, samut_prakan, provincial_review, submitter
):
    states = pending_in_bulk(add_charters(chiang_rai, 3, "เชียงราย"), provincial_review, submitter, lambda i: i)
    pending_in_bulk(add_charters(samut_prakan, 2, "สมุทรปราการ"), provincial_review, submitter, lambda i: 30)

    response, html = get_queue(client, officer)
    assert rows(html) == ["เชียงราย ข้อบังคับที่ 003", "เชียงราย ข้อบังคับที่ 002", "เชียงราย ข้อบังคับที่ 001"]
    assert province_options(html) == ["57"]  # only the officer's own province is offered
    assert "data-filter-errors" not in html
    assert "<title>รอท่านดำเนินการ" in html  # Thai first
    oldest = timezone.localtime(states[2].started_at).date()
    assert f"{oldest.day} {THAI_MONTHS[oldest.month - 1]} {oldest.year + 543}" in html  # Buddhist Era

    for params in ({"province": "11"}, {"province": "11", "q": "สมุทรปราการ"}):
        response, html = get_queue(client, officer, **params)
        assert "สมุทรปราการ" not in "".join(rows(html))
        assert "data-filter-errors" in html  # the foreign province is named as ignored, not applied
    response, html = get_queue(client, officer, province="11")
    assert len(rows(html)) == 3

    response, html = get_queue(client, officer, province="57")
    assert len(rows(html)) == 3 and "data-filter-errors" not in html
    # The fragment Wagtail's filter panel fetches answers the same way.
    response = client.get(reverse("workflows_awaiting_my_action_results"), {"province": "11"})
    assert response.status_code == 200
    html = '<div id="listing-results">' + response.content.decode()
    assert len(rows(html)) == 3 and "สมุทรปราการ" not in "".join(rows(html))


def test_the_registrar_sees_every_province_and_filters_by_one(
    client, registrar, chiang_rai, samut_prakan, registration, submitter
):
    pending_in_bulk(add_charters(chiang_rai, 2, "เชียงราย"), registration, submitter, lambda i: 1)
    pending_in_bulk(add_charters(samut_prakan, 2, "สมุทรปราการ"), registration, submitter, lambda i: 2)

    response, html = get_queue(client, registrar)
    assert len(rows(html)) == 4
    assert sorted(province_options(html)) == ["11", "57"]
    assert "สมุทรปราการ" in html and "เชียงราย" in html  # the province column

    response, html = get_queue(client, registrar, province="11")
    assert rows(html) == ["สมุทรปราการ ข้อบังคับที่ 001", "สมุทรปราการ ข้อบังคับที่ 002"]


def test_overdue_first_then_oldest_across_pages(
    client, officer, chiang_rai, provincial_review, submitter, monkeypatch
):
    monkeypatch.setattr(AwaitingMyActionView, "paginate_by", 5)
    days = [3, 20, 0, 15, 9, 40, 13, 16, 1, 30, 7, 14]  # overdue after 14 days at the provincial review
    charters = add_charters(chiang_rai, len(days), "เชียงราย")
    pending_in_bulk(charters, provincial_review, submitter, lambda i: days[i])
    expected = [
        charter.title
        for charter, waited in sorted(zip(charters, days, strict=True), key=lambda c: (c[1] < 14, -c[1]))
    ]

    listed, overdue_marks = [], 0
    for page in (1, 2, 3):
        response, html = get_queue(client, officer, p=page)
        listed += rows(html)
        overdue_marks += html.count('data-overdue="true"')
    assert listed == expected
    assert overdue_marks == 6  # 40, 30, 20, 16, 15 and 14 days (and an hour): over 14 days
    # The first page holds five of the six overdue ones, oldest first.
    response, html = get_queue(client, officer, p=1)
    assert html.count('data-overdue="true"') == 5

    # Overdue only, and not overdue only.
    response, html = get_queue(client, officer, overdue="true")
    assert rows(html) == expected[:5]
    response, html = get_queue(client, officer, overdue="true", p=2)
    assert rows(html) == expected[5:6]
    response, html = get_queue(client, officer, overdue="false", p=2)
    assert rows(html) == expected[11:]


def test_filters_by_step_document_type_and_title_and_ignores_bad_values(
    client, django_user_model, chiang_rai, samut_prakan, provincial_review, registration, submitter
):
    # An officer of 57 who is also a registrar: two steps in one queue.
    user = make_user("officer_registrar", admin_access=True)
    ProvincialOfficerAssignment.objects.create(user=user, province_code="57")
    RegistrarAssignment.objects.create(user=user, office_name="สำนักงาน ก.ส.ค.")
    at_province = pending_in_bulk(add_charters(chiang_rai, 2, "เชียงราย"), provincial_review, submitter, lambda i: 20)
    pending_in_bulk(add_charters(samut_prakan, 3, "สมุทรปราการ"), registration, submitter, lambda i: 1)

    response, html = get_queue(client, user)
    assert len(rows(html)) == 5
    step_select = html.split('<select name="step"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'<option value="(\d+)"', step_select))
    assert offered == {str(provincial_review.pk), str(registration.pk)}  # not the steps of others

    response, html = get_queue(client, user, step=provincial_review.pk)
    assert rows(html) == ["เชียงราย ข้อบังคับที่ 001", "เชียงราย ข้อบังคับที่ 002"]
    response, html = get_queue(client, user, step=registration.pk, province="11")
    assert len(rows(html)) == 3
    response, html = get_queue(client, user, document_type="pages.charterpage")
    assert len(rows(html)) == 5
    response, html = get_queue(client, user, document_type="pages.actionplanpage")
    assert rows(html) == []
    response, html = get_queue(client, user, q="ข้อบังคับที่ 002")
    assert sorted(rows(html)) == ["สมุทรปราการ ข้อบังคับที่ 002", "เชียงราย ข้อบังคับที่ 002"]

    # Bad values: no 500; a named, ignored filter; the valid ones still apply.
    for params in (
        {"step": "abc"},
        {"step": "999999"},
        {"document_type": "auth.user"},
        {"province": "99"},
        {"province": "<script>"},
    ):
        response, html = get_queue(client, user, **params)
        assert "data-filter-errors" in html, params
        assert len(rows(html)) == 5, params
        assert "<script>" not in html.split('id="listing-results"', 1)[1], params
    response, html = get_queue(client, user, step="abc", province="11")
    assert len(rows(html)) == 3
    for params in ({"overdue": "maybe"}, {"p": "999"}, {"p": "abc"}, {"ordering": "password"}, {"q": "x" * 500}):
        client.force_login(user)
        assert client.get(QUEUE_URL, params).status_code == 200, params
    assert at_province  # the bulk rows are real task states



def count_queries(client, user, url, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_query_count_is_the_same_at_30_and_300_waiting_steps(
    client, registrar, chiang_rai, samut_prakan, registration, submitter, django_assert_max_num_queries
):
    first = add_charters(chiang_rai, 15, "เชียงราย ก")
    pending_in_bulk(first, registration, submitter, lambda i: i)
    pending_in_bulk(add_charters(samut_prakan, 15, "สมุทรปราการ ก"), registration, submitter, lambda i: i)
    filtered = {"province": "57", "overdue": "false", "q": "ข้อบังคับ"}
    # The registrar's editor of one waiting charter (where the decision is taken).
    edit_url = reverse("wagtailadmin_pages:edit", args=(first[0].pk,))
    count_queries(client, registrar, QUEUE_URL)  # warm the caches (content types, locales) first
    counts_30 = {}
    counts_30["queue"], html = count_queries(client, registrar, QUEUE_URL)
    assert len(rows(html)) == 30
    counts_30["filtered"], html = count_queries(client, registrar, QUEUE_URL, **filtered)
    assert len(rows(html)) == 15
    counts_30["dashboard"], html = count_queries(client, registrar, "/admin/")
    assert html.count("awaiting-my-action") and "30" in html.split("data-awaiting-see-all", 1)[1][:200]
    count_queries(client, registrar, edit_url)  # warm
    counts_30["charter_edit"], html = count_queries(client, registrar, edit_url)
    assert "เชียงราย ก ข้อบังคับที่ 001" in html

    # 270 more, in two other networks: 300 in all.
    more_57 = add_province(chiang_rai.get_parent().get_parent(), "57", title="เครือข่ายตำบลในเชียงราย")
    more_11 = add_province(chiang_rai.get_parent().get_parent(), "11", title="เครือข่ายตำบลในสมุทรปราการ")
    pending_in_bulk(add_charters(more_57, 135, "เชียงราย ข"), registration, submitter, lambda i: i % 40)
    pending_in_bulk(add_charters(more_11, 135, "สมุทรปราการ ข"), registration, submitter, lambda i: i % 40)

    client.force_login(registrar)
    with django_assert_max_num_queries(counts_30["queue"]) as captured:
        response = client.get(QUEUE_URL)
    counts_300 = {"queue": len(captured)}
    html = response.content.decode()
    assert len(rows(html)) == 50
    assert "หน้า 1 จาก 6" in html or "Page 1 of 6" in html
    with django_assert_max_num_queries(counts_30["filtered"]) as captured:
        response = client.get(QUEUE_URL, filtered)
    counts_300["filtered"] = len(captured)
    assert len(rows(response.content.decode())) == 50
    with django_assert_max_num_queries(counts_30["dashboard"]) as captured:
        response = client.get("/admin/")
    counts_300["dashboard"] = len(captured)
    panel = response.content.decode().split('id="awaiting-my-action-section"', 1)[1].split("</section>", 1)[0]
    assert panel.count("<tr") == 1 + 15  # header and the first 15
    assert "300" in panel.split("data-awaiting-see-all", 1)[1][:200]
    with django_assert_max_num_queries(counts_30["charter_edit"]) as captured:
        response = client.get(edit_url)
    assert response.status_code == 200
    counts_300["charter_edit"] = len(captured)
    print(f"queries at 30: {counts_30}; at 300: {counts_300}")
    assert counts_300 == counts_30
    # A ceiling too, so that a constant but wasteful count is noticed.
    assert max(counts_300.values()) <= 60, counts_300


def test_an_application_through_the_real_workflow_reaches_each_approvers_queue(client, world):  # noqa: F811

    charter = world["charter"]
    run_to(client, world, "committee")  # submitted by a member: waits for the chair or secretary
    for user in (world["chair_a"], world["secretary_a"]):
        response, html = get_queue(client, user)
        assert rows(html) == [charter.title]
    for user in (world["chair_b"], world["member_a"], world["officer_57"], world["registrar"]):
        response, html = get_queue(client, user)
        assert rows(html) == [], user.username

    run_to(client, world, "local")
    response, html = get_queue(client, world["local_a"])
    assert rows(html) == [charter.title]

    run_to(client, world, "provincial")
    response, html = get_queue(client, world["officer_57"])
    assert rows(html) == [charter.title]
    with translation.override("th"):
        step = translation.gettext("Provincial review")  # «พมจ. ตรวจสอบคำขอ» once the catalog has it
    assert step in html and "เชียงราย" in html  # the step (in Thai only) and the province
    assert "(Provincial review)" not in html
    response, html = get_queue(client, world["officer_57"], province="57")
    assert rows(html) == [charter.title]
    for params in ({}, {"province": "57"}):
        response, html = get_queue(client, world["officer_11"], **params)
        assert rows(html) == [] and charter.title not in html

    # The dashboard panel lists it and leads to the queue.
    client.force_login(world["officer_57"])
    html = client.get("/admin/").content.decode()
    panel = html.split('id="awaiting-my-action-section"', 1)[1].split("</section>", 1)[0]
    assert charter.title in panel
    assert f'href="{QUEUE_URL}"' in panel

    run_to(client, world, "registration")
    response, html = get_queue(client, world["officer_57"])
    assert rows(html) == []
    response, html = get_queue(client, world["registrar"])
    assert rows(html) == [charter.title]
