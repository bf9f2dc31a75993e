"""Deadlines and reminders with a shifted clock; never the same reminder twice."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from wagtail.models import Workflow, WorkflowTask

from outbox.models import OutboxMessage, SentReminder
from outbox.reminders import send_due_reminders
from registry import services as registry
from registry.reminders import open_report_period, remind_registered_organizations
from tests.factories import (
    LONG_AGO,
    add_charter,
    add_province,
    make_committee_member,
    make_provincial_officer,
    make_registrar,
    make_user,
)
from workflows.models import ProvincialReviewTask
from workflows.reminders import provincial_reminder_period

from .services import missing_service


def reminders(kind=None):
    """{reminder key: recipients} of the reminder e-mails written so far."""
    rows = SentReminder.objects.select_related("message")
    if kind:
        rows = rows.filter(kind=kind)
    return {r.key: r.message.payload["to"] for r in rows}


@pytest.fixture
def provincial_review(home, django_user_model):
    task = ProvincialReviewTask.objects.create(name="พมจ. ตรวจสอบ")
    workflow = Workflow.objects.create(name="คำขอรับรอง (ทดสอบ)")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    charter = add_charter(add_province(home, publish=True), publish=True)
    submitter = make_user("submitter", admin_access=True, email="submitter@example.org")
    charter.save_revision(user=submitter)
    state = workflow.start(charter, submitter).current_task_state
    for username, code in (("officer57", "57"), ("officer50", "50")):
        make_provincial_officer(username, code, started_on=LONG_AGO, admin_access=True, email=f"{username}@example.org")
    return state


def test_reminder_periods():
    assert [provincial_reminder_period(d) for d in (0, 13, 14, 20, 21, 27, 28)] == [None, None, 0, 0, 1, 1, 2]
    assert open_report_period(datetime.date(2027, 3, 31)) is None
    assert open_report_period(datetime.date(2027, 4, 1)) == (datetime.date(2027, 3, 31), datetime.date(2027, 4, 30))
    assert open_report_period(datetime.date(2027, 4, 30)) is not None
    assert open_report_period(datetime.date(2027, 5, 1)) is None
    assert open_report_period(datetime.date(2027, 10, 30)) == (datetime.date(2027, 9, 30), datetime.date(2027, 10, 30))
    assert open_report_period(datetime.date(2027, 10, 31)) is None


def test_provincial_review_reminded_after_14_days_then_every_7(provincial_review):
    started = provincial_review.started_at
    key = f"provincial-review:{provincial_review.pk}"

    def on_day(days, hours=1):
        with time_machine.travel(started + datetime.timedelta(days=days, hours=hours), tick=False):
            return send_due_reminders()

    assert on_day(13) == 0
    assert on_day(14) == 1
    # Only the officers of the network's own province.
    assert reminders("provincial_review") == {f"{key}:0": ["officer57@example.org"]}
    assert on_day(14, hours=5) == 0  # the next run of the scheduler, same period
    assert on_day(20) == 0
    assert on_day(21) == 1
    assert on_day(28) == 1
    assert sorted(reminders("provincial_review")) == [f"{key}:0", f"{key}:1", f"{key}:2"]
    message = SentReminder.objects.get(key=f"{key}:1").message
    assert "21" in message.payload["subject"] and provincial_review.workflow_state.content_object.title in message.payload["body"]


def test_a_decided_review_is_not_reminded(provincial_review):
    provincial_review.status = provincial_review.STATUS_APPROVED
    provincial_review.save()
    with time_machine.travel(provincial_review.started_at + datetime.timedelta(days=30)):
        assert send_due_reminders() == 0


@pytest.fixture
def registered(home, django_user_model):
    network = add_province(home, publish=True)
    make_committee_member(network, "chair", "chair", started_on=LONG_AGO, admin_access=True, email="chair@example.org")
    registrar = make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    return registry.register(add_charter(network, publish=True), registrar, on_date=datetime.date(2026, 5, 14))


def test_half_year_report_reminders_once_per_period(registered):
    def on(day):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())):
            return send_due_reminders()

    assert on(datetime.date(2026, 9, 30)) == 0
    assert on(datetime.date(2026, 10, 1)) == 1
    assert on(datetime.date(2026, 10, 20)) == 0
    assert on(datetime.date(2026, 11, 15)) == 0
    assert on(datetime.date(2027, 4, 2)) == 1
    sent = reminders("half_year_report")
    assert sorted(sent) == [f"half-year-report:{registered.pk}:2026-09-30", f"half-year-report:{registered.pk}:2027-03-31"]
    assert set(map(tuple, sent.values())) == {("chair@example.org",)}
    body = SentReminder.objects.get(key=f"half-year-report:{registered.pk}:2026-09-30").message.payload["body"]
    assert "30 ตุลาคม 2569" in body  # the due date, Buddhist Era, Thai first
    assert registered.registration_number in body


def test_a_sent_reminder_costs_no_query_per_organization_on_later_runs(registered, django_assert_num_queries):
    # Beat runs this every 15 minutes for the whole 30-day window; organizations reminded already
    # are skipped from two queries of the keys sent, not asked one by one.
    network = registered.network
    network.title = "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย (ชื่อใหม่)"
    network.save_revision().publish()
    network.unpublish()
    now = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    assert remind_registered_organizations(now) == 3  # half-year report, name change, dissolution
    # The keys sent (2), the open notices due of every organization (1) and the organizations (1).
    with django_assert_num_queries(4):
        assert remind_registered_organizations(now) == 0


def test_registered_before_the_period_ended_only(registered):
    # Registered 14 May 2569: the report for the half-year that ended 31 March 2569 is not asked for.
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        assert send_due_reminders() == 0


def test_change_of_name_and_dissolution_reminded_once(registered):
    network = registered.network
    network.title = "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย (ชื่อใหม่)"
    network.save_revision().publish()
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    body = SentReminder.objects.get(kind="name_change").message.payload["body"]
    assert "ชื่อใหม่" in body and "30" in body
    network.refresh_from_db()
    network.unpublish()
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    assert sorted(reminders()) == [f"dissolution:{registered.pk}", *[k for k in reminders() if k.startswith("name-change")]]


def test_a_revoked_organization_is_not_reminded(registered, django_user_model):
    registry.revoke(registered, registered.registered_by, "ไม่มีผลการดำเนินงาน", on_date=datetime.date(2026, 7, 1))
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)):
        assert send_due_reminders() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_at_once_send_each_reminder_once(registered):
    """Two beats by mistake, at the same moment, each in its own database connection."""
    if connection.vendor != "postgresql":
        missing_service("concurrent schedulers need PostgreSQL (set DATABASE_URL)")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scheduler():
        try:
            barrier.wait(10)
            # The clock is passed in, not patched: time_machine is process-wide, the threads are not.
            results.append(send_due_reminders(now=datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(results) == [0, 1]
    assert SentReminder.objects.filter(kind="half_year_report").count() == 1
    assert OutboxMessage.objects.filter(dedupe_key__startswith="reminder:half-year-report").count() == 1
