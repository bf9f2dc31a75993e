"""A Redis that accepts connections and answers nothing (our own redis-server, `kill -STOP`): a decision
through the admin still answers at once, is saved, and leaves its follow-up work in the outbox; once
Redis answers again the relay hands each message over once and a worker does each piece of work once."""

import base64
import datetime
import json
import time
from collections import Counter

import pytest
import redis
import time_machine
from django.db import transaction
from django.utils import timezone

from cms.celery import app
from outbox import api
from outbox.models import OutboxMessage, OutboxStatus
from outbox.relay import handover_budget, relay_pending
from registry.models import RegistryEntry
from tests.workflows.conftest import build_world, current_task_state, decide, error_messages, run_to

from .conftest import sent_subjects
from .services import wait_for, worker_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Not a performance assertion: a generous bound against the old behaviour, where every queued message
# waited 10 s on the silent broker (an approval with 7 messages took 41 s). The hand-overs are bounded
# by OUTBOX_HANDOVER_BUDGET_SECONDS (0.5 s); the rest is the decision itself. Half of the old socket
# timeout (10 s), so that one message waiting it still fails, and a busy CI machine (2.2 s seen) does not.
NORMAL_ANSWER_SECONDS = 5.0


@pytest.fixture
def world(home):
    """The workflow tests' world, built in this test: its rows must be committed for the hand-overs after
    commit to happen at all (the shared, module-wide world lives in a transaction that never commits)."""
    return build_world()


@pytest.fixture
def worker_database():
    """The database a worker process shares with the test; asked first, so that without one (SQLite) the
    test skips (fails under CI) before building its world."""
    return worker_database_url()


@pytest.fixture
def patience(broker, monkeypatch):
    """The app's patient connection (workers, beat, the periodic relay) with a socket timeout of 1 s
    instead of production's 10 s: the behaviour is the same, one patient attempt, and the test does not
    wait 10 s for it. Set before any patient connection is made (the broker fixture dropped them all)."""
    options = {**app.conf.broker_transport_options, "socket_timeout": 1}
    monkeypatch.setitem(app.conf, "broker_transport_options", options)
    return options["socket_timeout"]


def task_ids_in_queue(url):
    """Outbox message ids (each task's only argument) of the task messages in Redis's default queue."""
    ids = []
    for raw in redis.Redis.from_url(url).lrange("celery", 0, -1):
        envelope = json.loads(raw)
        assert envelope["properties"]["body_encoding"] == "base64"
        args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        ids.append(args[0])
    return ids


def register_with_broker_paused(client, world, broker):
    """Take the charter to the registrar's step with the broker answering, then pause the broker and
    let the registrar approve. Returns (response, seconds, the registration's new outbox messages)."""
    run_to(client, world, "registration")
    # With the broker answering, the hand-overs after commit went through; on a busy machine one may miss
    # its 0.2 s and wait for the relay: hand it over now, so that the paused broker meets only this step's.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1), tick=True):
        relay_pending()
    assert not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    broker.pause()
    started = time.monotonic()
    response = decide(client, world["registrar"], world["charter"], conditions="")
    seconds = time.monotonic() - started
    return response, seconds, OutboxMessage.objects.filter(pk__gt=before).order_by("pk")


def test_an_approval_answers_at_once_while_the_broker_hangs(world, client, broker):
    response, seconds, messages = register_with_broker_paused(client, world, broker)

    # The normal answer (the redirect the action dialog follows), in time, and the decision saved.
    assert response.status_code == 302, response.status_code
    assert not error_messages(client, response)
    assert seconds < NORMAL_ANSWER_SECONDS, seconds
    entry = RegistryEntry.objects.get(network=world["net_a"])
    assert entry.registration_number
    world["charter"].refresh_from_db()
    assert world["charter"].live and current_task_state(world["charter"]) is None

    # Its follow-up work waits in the outbox: one hand-over was tried (and failed), the rest were left
    # for the relay without a try.
    assert messages.count() >= 4, list(messages.values_list("task_name", flat=True))
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert sorted(messages.values_list("relay_attempts", flat=True)) == [0] * (messages.count() - 1) + [1]
    assert "Timeout" in messages.get(relay_attempts=1).last_error

    # Redis answers again; the relay's next runs (the failed one is due after its backoff).
    broker.resume()
    expected = set(messages.values_list("pk", flat=True))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1), tick=True):
        assert relay_pending() == len(expected)
        assert relay_pending() == 0  # nothing is handed over twice
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.DISPATCHED}
    queued = Counter(task_ids_in_queue(broker.url))
    assert expected <= set(queued)
    # Each message is in the queue once; the one whose hand-over timed out may be there twice, since
    # Redis executes the command it had already received when it wakes up (at-least-once delivery;
    # the tasks are idempotent, see the next test).
    failed = messages.get(relay_attempts=1).pk
    assert all(count == 1 for pk, count in queued.items() if pk in expected and pk != failed), queued
    assert queued[failed] in (1, 2)


def test_after_the_hang_a_worker_does_each_piece_of_work_once(
    worker_database, world, client, broker, start_worker, email_dir
):
    response, seconds, messages = register_with_broker_paused(client, world, broker)
    assert response.status_code == 302 and seconds < NORMAL_ANSWER_SECONDS, (response.status_code, seconds)
    broker.resume()
    start_worker()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1), tick=True):
        relay_pending()
    wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists(), timeout=60,
             message="the worker to finish every message")
    assert all(message.attempts == 1 for message in messages), [(m.task_name, m.attempts) for m in messages]
    subjects = sent_subjects(email_dir)
    assert subjects and len(subjects) == len(set(subjects)), subjects


def test_within_one_budget_a_failure_leaves_the_rest_without_a_try(
    broker, patience, django_capture_on_commit_callbacks
):
    """The same bound outside a request (a command, a task) when the caller opens a budget; and the
    periodic relay through a stall and after it."""
    broker.pause()
    started = time.monotonic()
    with handover_budget(), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i in range(7):
            api.enqueue_email([f"member{i}@example.org"], f"เรื่องที่ {i}", "...")
    assert time.monotonic() - started < NORMAL_ANSWER_SECONDS
    assert sorted(OutboxMessage.objects.values_list("relay_attempts", flat=True)) == [0] * 6 + [1]

    # The periodic relay (beat, in a worker) meets the silent broker too: one patient attempt
    # (socket_timeout: 10 s in production, `patience` here), then it stops and leaves the rest for its
    # next run.
    started = time.monotonic()
    assert relay_pending() == 0
    assert time.monotonic() - started < patience + 3
    assert sorted(OutboxMessage.objects.values_list("relay_attempts", flat=True)) == [0] * 5 + [1, 1]

    # Redis answers again: the next hand-over after commit goes through at once, and the relay's next
    # run, on the connection that met the stall, hands over the rest.
    broker.resume()
    with handover_budget(), django_capture_on_commit_callbacks(execute=True):
        message = api.enqueue_email(["chair@example.org"], "หลังจากนั้น", "...")
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED and message.relay_attempts == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=True):
        assert relay_pending() == 7
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DISPATCHED}
