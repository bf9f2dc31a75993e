"""The local government's 30 days, and the e-mails of the road (outbox, Thai then English)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from wagtail import signals
from wagtail.admin import signal_handlers
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from core.thaidate import format_thai_date
from networks.models import NetworkPage
from outbox.models import OutboxMessage
from outbox.relay import relay_pending
from pages.models import AgendaItem, CharterPage, PresentMember
from people.models import CommitteeMembership
from registry.models import RegistryEntry
from workflows.deadlines import check_deadlines
from workflows.models import DecisionKind, StepDecision, workflow_for
from workflows.road import step_for_task
from workflows.tasks import check_deadlines as celery_check

from .conftest import CHECKLIST_ALL, current_task_state, decide, login, run_to, th

pytestmark = pytest.mark.django_db


@pytest.mark.walked_to("local")
def test_thirty_days_without_a_comment_moves_on(world, client):
    charter = world["charter"]
    local_state = current_task_state(charter)
    started = local_state.started_at

    with time_machine.travel(started + datetime.timedelta(days=29, hours=23), tick=False):
        assert check_deadlines() == 0
    assert current_task_state(charter).pk == local_state.pk

    with time_machine.travel(started + datetime.timedelta(days=30, minutes=1), tick=False):
        call_command("check_workflow_deadlines", stdout=open("/dev/null", "w"))
        assert check_deadlines() == 0  # the second run does nothing more
        assert celery_check.apply().get() == 0

    assert step_for_task(current_task_state(charter).task).key == "provincial_review"
    local_state.refresh_from_db()
    assert local_state.status == TaskState.STATUS_SKIPPED
    # The reason, in the server's language (Thai first), names the 30 days and the start date.
    assert "30" in local_state.comment and format_thai_date(started) in local_state.comment
    decision = StepDecision.objects.get(task_state=local_state)
    assert decision.kind == DecisionKind.MOVED_ON and decision.decided_by is None
    log = PageLogEntry.objects.filter(page=charter, action="workflows.moved_on").get()
    assert log.data["comment"] == local_state.comment
    assert StepDecision.objects.filter(kind=DecisionKind.MOVED_ON).count() == 1
    # The page's history in the admin shows the entry and why.
    login(client, world["chair_a"])
    history = client.get(reverse("wagtailadmin_pages:history", args=[charter.pk])).content.decode()
    assert escape(th("“%(task)s” closed without a decision", task=local_state.task.name)) in history
    assert escape(local_state.comment) in history
    # The officer may now act.
    decide(client, world["officer_57"], charter, **CHECKLIST_ALL)
    assert step_for_task(current_task_state(charter).task).key == "registration"


def emails():
    return list(OutboxMessage.objects.filter(task_name="outbox.tasks.send_email").order_by("pk"))


def outbox_to(address):
    return [m for m in emails() if address in m.payload["to"]]


@pytest.mark.walked_to("local")
def test_emails_go_to_the_next_actors_thai_then_english(world, client):
    mail.outbox.clear()
    # The test's transaction never commits, so hand the pending messages to (eager) Celery as the
    # on-commit hook and the periodic relay do.
    relay_pending()
    # Submission: the chair and the secretary of A must act, nobody of B.
    committee = outbox_to("chair_a@example.org")
    assert committee and "secretary_a@example.org" in committee[0].payload["to"]
    assert all("chair_b@example.org" not in m.payload["to"] for m in emails())
    # The local office is told that the application waits for its comment.
    waiting = outbox_to("local_a@example.org")
    assert len(waiting) == 1
    body = waiting[0].payload["body"]
    assert body.index("รอการดำเนินการของท่าน") < body.index("awaits your decision")
    assert "30" in body
    subject = waiting[0].payload["subject"]
    assert subject.index("รอการดำเนินการ") < subject.index("Action needed")
    # Sent through Celery (eager in tests) after commit: in Django's outbox, not inside Wagtail's.
    sent = [m for m in mail.outbox if "local_a@example.org" in m.to]
    assert len(sent) == 1 and sent[0].body == body
    # Officers of the province only.
    run_to(client, world, "provincial")
    assert outbox_to("officer_57@example.org")
    assert not outbox_to("officer_11@example.org")


@pytest.mark.walked_to("provincial")
def test_drafters_hear_of_changes_rejection_and_registration(world, client):
    decide(
        client,
        world["officer_57"],
        world["charter"],
        action="reject",
        comment="ขาดแผนปฏิบัติการ",
        **CHECKLIST_ALL,
    )
    changes = [m for m in emails() if m.payload["subject"].startswith("[ขอให้แก้ไข]")]
    assert len(changes) == 1
    assert {"member_a@example.org", "chair_a@example.org", "secretary_a@example.org"} <= set(
        changes[0].payload["to"]
    )
    body = changes[0].payload["body"]
    assert "ขาดแผนปฏิบัติการ" in body and body.index("เหตุผล") < body.index("Reason")
    assert "officer_57@example.org" not in changes[0].payload["to"]


@pytest.mark.walked_to("done")
def test_registration_email_has_the_number(world, client):
    entry = RegistryEntry.objects.get()
    registered = [m for m in emails() if m.payload["subject"].startswith("[จดทะเบียนแล้ว]")]
    assert len(registered) == 1
    body = registered[0].payload["body"]
    assert entry.registration_number in body
    assert body.index("เลขทะเบียน") < body.index("Registration number")
    assert "member_a@example.org" in registered[0].payload["to"]


def test_wagtail_synchronous_workflow_emails_are_off():
    notifiers = {
        signal_handlers.task_submission_email_notifier,
        signal_handlers.workflow_submission_email_notifier,
        signal_handlers.workflow_approval_email_notifier,
        signal_handlers.workflow_rejection_email_notifier,
    }
    for signal in (
        signals.task_submitted,
        signals.workflow_submitted,
        signals.workflow_approved,
        signals.workflow_rejected,
    ):
        connected = signal._live_receivers(sender=None)
        receivers = set(connected[0]) | set(connected[1]) if isinstance(connected, tuple) else set(connected)
        assert not (receivers & notifiers)
    # Nor for a WorkflowState/TaskState sender (how Wagtail connected them).
    for signal, sender in (
        (signals.task_submitted, TaskState),
        (signals.workflow_submitted, WorkflowState),
        (signals.workflow_approved, WorkflowState),
        (signals.workflow_rejected, WorkflowState),
    ):
        connected = signal._live_receivers(sender=sender)
        receivers = set(connected[0]) | set(connected[1]) if isinstance(connected, tuple) else set(connected)
        assert not (receivers & notifiers)


@pytest.mark.walked_to("local")
def test_drafters_hear_that_the_application_moved_on(world, client):
    started = current_task_state(world["charter"]).started_at
    with time_machine.travel(started + datetime.timedelta(days=31), tick=False):
        assert check_deadlines() == 1
    moved = [m for m in emails() if m.payload["subject"].startswith("[เข้าสู่ขั้นตอนถัดไป]")]
    assert len(moved) == 1 and "member_a@example.org" in moved[0].payload["to"]
    body = moved[0].payload["body"]
    assert body.index("ไม่ได้รับความเห็นภายในเวลาที่กำหนด") < body.index("received no comment")


def test_local_step_does_not_apply_to_a_regional_network(world, client, django_user_model):
    """A conditional step: Task.start() skips it, and the history says why."""

    region = NetworkPage.objects.get(level="region")
    charter = region.add_child(
        instance=CharterPage(title="ข้อบังคับเครือข่ายภาคเหนือ", version_label="๒๕๖๙", live=False)
    )
    charter.save_revision(user=world["member_a"])
    workflow_for(charter).start(charter, world["member_a"])
    states = list(TaskState.objects.filter(workflow_state__object_id=str(charter.pk)).order_by("pk"))
    # Only the first step runs; approve the first two in Python to reach the conditional step.
    assert step_for_task(states[0].task).key == "committee_review"

    chair = django_user_model.objects.create_user("chair_north", email="chair_north@example.org")
    CommitteeMembership.objects.create(user=chair, network=region, role="chair")
    decide(client, chair, charter, comment="")
    minutes = region.add_child(
        instance=__import__("pages.models", fromlist=["MeetingMinutesPage"]).MeetingMinutesPage(
            title="ประชุม",
            body_name="คณะกรรมการ",
            meeting_number=1,
            meeting_date=datetime.date.today(),
            place="เชียงใหม่",
            committee_size=1,
            live=True,  # certified minutes, held after the text was written (the evidence rules)
        )
    )

    PresentMember.objects.create(page=minutes, name="ประธาน")
    item = AgendaItem.objects.create(page=minutes, title="พิจารณาร่างข้อบังคับ", resolution="เห็นชอบ")
    decide(client, chair, charter, minutes=minutes.pk, agenda_item=item.pk)
    assert step_for_task(current_task_state(charter).task).key == "provincial_review"
    skipped = TaskState.objects.get(
        workflow_state__object_id=str(charter.pk), status=TaskState.STATUS_SKIPPED
    )
    assert skipped.comment and StepDecision.objects.get(task_state=skipped).kind == DecisionKind.MOVED_ON
    assert PageLogEntry.objects.filter(page=charter, action="workflows.moved_on").exists()
