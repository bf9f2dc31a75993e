"""The outbox in-process (eager, as in `make run`): rows written in the caller's transaction, work done
once after commit, failures recorded and visible to staff, a broker outage survived."""

import datetime
import time
from types import SimpleNamespace

import pytest
import time_machine
from celery import current_app
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.tasks import generate_document
from outbox import api
from outbox.models import OutboxMessage, OutboxStatus
from outbox.relay import relay_backoff, relay_pending
from outbox.tasks import (
    outbox_task,
    prune_outbox,
    run_django_task,
    run_outbox_message,
    send_email,
    task_backoff,
)

from .conftest import make_staff, use_broker, use_eager

FAILURES = {"left": 0}


@outbox_task("tests.outbox.flaky")
def flaky(message):
    """Fails while FAILURES["left"] > 0: stands for an SMTP server or a PDF source that is down."""
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise ConnectionError("mail server unreachable")
    mail.send_mail(message.payload["subject"], "body", None, ["x@example.org"])


def test_email_goes_after_commit_and_only_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = api.enqueue_email(["a@example.org", "", "a@example.org"], "เรื่อง", "เนื้อความ", dedupe_key="k1")
            assert api.enqueue_email(["b@example.org"], "again", "x", dedupe_key="k1") is None
            assert len(mail.outbox) == 0  # nothing before commit
    assert [m.subject for m in mail.outbox] == ["เรื่อง"]
    assert mail.outbox[0].to == ["a@example.org"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE and message.attempts == 1 and message.done_at
    # A second delivery of the same message (the broker redelivers, the relay retries) sends nothing.
    assert send_email.apply(args=[message.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_rolled_back_decision_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            api.enqueue_email(["a@example.org"], "s", "b")
            raise RuntimeError("the decision failed")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_no_recipient_records_nothing(db):
    assert api.enqueue_email(["", None], "s", "b") is None
    assert not OutboxMessage.objects.exists()


def test_failure_is_recorded_and_staff_can_send_it_again(db, client, django_user_model,
                                                         django_capture_on_commit_callbacks):
    FAILURES["left"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        message = api.enqueue("tests.outbox.flaky", {"subject": "รายงาน"})
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "mail server unreachable" in message.last_error
    assert mail.outbox == []

    staff = make_staff("staff")
    client.force_login(staff)
    listing = client.get(reverse("outbox_message:index") + "?status=failed")
    assert listing.status_code == 200
    assert "mail server unreachable" in listing.content.decode()
    assert reverse("outbox_message:retry", args=[message.pk]) in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox_message:retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE and message.last_error == ""
    assert [m.subject for m in mail.outbox] == ["รายงาน"]
    # Done is done: a second "send again" is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_message:retry", args=[message.pk]))
    assert len(mail.outbox) == 1


def test_only_staff_with_the_permission_retry(db, client, django_user_model):
    message = OutboxMessage.objects.create(task_name="tests.outbox.flaky", dedupe_key="x", status=OutboxStatus.FAILED)
    reader = make_staff("reader", can_change_outbox=False)
    client.force_login(reader)
    response = client.post(reverse("outbox_message:retry", args=[message.pk]))
    # Wagtail's admin answers a refused permission with a redirect to the dashboard and a message.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    listing = client.get(reverse("outbox_message:index"))
    assert (listing.status_code, listing.url) == (302, reverse("wagtailadmin_home"))


def test_staff_listing_runs_a_bounded_number_of_queries(db, client, django_user_model, django_assert_max_num_queries):
    for i in range(30):
        OutboxMessage.objects.create(
            task_name="outbox.tasks.send_email", payload={"subject": f"s{i}"}, dedupe_key=f"k{i}",
            status=OutboxStatus.FAILED if i % 3 else OutboxStatus.DONE, last_error="boom" * 100,
        )
    client.force_login(make_staff("staff"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("outbox_message:index"))
    assert response.status_code == 200
    inspect = client.get(reverse("outbox_message:inspect", args=[OutboxMessage.objects.first().pk]))
    assert inspect.status_code == 200


@pytest.fixture
def unreachable_broker():
    # Nothing listens on port 1: every hand-over fails at once, like a broker that is down.
    use_broker("redis://127.0.0.1:1/0")
    yield
    use_eager()


def test_broker_down_keeps_the_work_and_backs_off(db, unreachable_broker, django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = api.enqueue_email(["a@example.org"], "s", "b")
    assert time.monotonic() - started < 10  # the request is not held by the outage
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.relay_attempts == 1 and message.last_error
    assert message.next_relay_at == pytest.approx(timezone.now() + relay_backoff(1), abs=datetime.timedelta(seconds=30))

    assert relay_pending() == 0  # not due yet: no attempt
    message.refresh_from_db()
    assert message.relay_attempts == 1
    with time_machine.travel(message.next_relay_at + datetime.timedelta(seconds=1)):
        assert relay_pending() == 0
    message.refresh_from_db()
    assert message.relay_attempts == 2
    assert relay_backoff(2) == 2 * relay_backoff(1)
    assert relay_backoff(50) == datetime.timedelta(minutes=30)


def test_relay_hands_over_lost_messages_again(db, django_capture_on_commit_callbacks):
    """Handed to the broker and never finished (the broker lost it): handed over again later."""
    message = OutboxMessage.objects.create(
        task_name="outbox.tasks.send_email", dedupe_key="lost", status=OutboxStatus.DISPATCHED,
        payload={"to": ["a@example.org"], "subject": "lost", "body": "b"}, dispatched_at=timezone.now(),
    )
    assert relay_pending() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert relay_pending() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert [m.subject for m in mail.outbox] == ["lost"]


def test_relay_outbox_command(db, capsys):
    OutboxMessage.objects.create(
        task_name="outbox.tasks.send_email", dedupe_key="cmd",
        payload={"to": ["a@example.org"], "subject": "from the command", "body": "b"},
    )
    call_command("relay_outbox")
    assert "1 message(s)" in capsys.readouterr().out
    assert [m.subject for m in mail.outbox] == ["from the command"]


def test_prune_keeps_recent_and_unfinished_messages(db):
    old = timezone.now() - datetime.timedelta(days=200)
    OutboxMessage.objects.create(task_name="t", dedupe_key="old-done", status=OutboxStatus.DONE, done_at=old)
    OutboxMessage.objects.create(task_name="t", dedupe_key="old-failed", status=OutboxStatus.FAILED)
    OutboxMessage.objects.create(task_name="t", dedupe_key="new-done", status=OutboxStatus.DONE, done_at=timezone.now())
    prune_outbox.apply()
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["new-done", "old-failed"]


def test_beat_schedule_relays_reminds_and_prunes(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"outbox.tasks.relay_outbox", "outbox.tasks.send_due_reminders", "outbox.tasks.prune_outbox"} <= tasks
    assert settings.CELERY_BEAT_SCHEDULE["relay-outbox"]["schedule"] <= 60


def test_on_a_worker_a_failure_is_retried_with_backoff_then_marked_failed(db):
    """Not eager: the task asks Celery to retry later (1, 2, 4 … minutes) and keeps the relay away
    until then; after the last retry the message is FAILED with its error."""

    message = OutboxMessage.objects.create(task_name="tests.outbox.flaky", dedupe_key="w", status=OutboxStatus.DISPATCHED)
    retried = []

    def retry(exc, countdown):
        retried.append(countdown)
        return Retry(exc=exc, when=countdown)

    def broken(message):
        raise ConnectionError("smtp down")

    for attempt in range(2):
        task = SimpleNamespace(request=SimpleNamespace(is_eager=False, retries=attempt), max_retries=2, retry=retry)
        with pytest.raises(Retry):
            run_outbox_message(task, broken, message.pk)
        message.refresh_from_db()
        assert message.status == OutboxStatus.DISPATCHED and "smtp down" in message.last_error
        assert message.dispatched_at > timezone.now()  # the relay waits for Celery's retry
    assert retried == [task_backoff(0), task_backoff(1)] == [60, 120]

    task = SimpleNamespace(request=SimpleNamespace(is_eager=False, retries=2), max_retries=2, retry=retry)
    with pytest.raises(ConnectionError):
        run_outbox_message(task, broken, message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 3


def test_tasks_are_acknowledged_late(settings):
    assert all(t.acks_late for t in (send_email, run_django_task, generate_document))
    assert current_app.conf.task_reject_on_worker_lost
    assert current_app.conf.worker_prefetch_multiplier == 1


def test_dashboard_tells_staff_about_failures(db, client, django_user_model):
    staff = make_staff("staff")
    client.force_login(staff)
    assert "outbox-health" not in client.get(reverse("wagtailadmin_home")).content.decode()
    OutboxMessage.objects.create(task_name="t", dedupe_key="f", status=OutboxStatus.FAILED, last_error="boom")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="outbox-health"' in html and "?status=failed" in html
    client.force_login(make_staff("reader", can_change_outbox=False))
    assert "outbox-health" not in client.get(reverse("wagtailadmin_home")).content.decode()
