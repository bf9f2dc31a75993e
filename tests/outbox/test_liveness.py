"""The worker liveness probe (`manage.py worker_liveness`): a real task round trip through our own
Redis to a real worker process. It passes while a worker takes work and fails, within its timeout, when
none does: a worker stopped (SIGSTOP), or one that stopped consuming after a broker stall while its
process lives on."""

import socket
import time

import pytest
from celery import current_app
from django.core.management import CommandError, call_command

from outbox.liveness import probe
from outbox.models import WorkerPing

from .services import wait_for


def run_probe(*args):
    """The command's exit status as a supervisor sees it, its output, and how long it took."""
    started = time.monotonic()
    try:
        output = call_command("worker_liveness", *args)
    except CommandError as error:
        return error.returncode, str(error), time.monotonic() - started
    return 0, output, time.monotonic() - started


def test_without_a_broker_the_probe_fails_and_says_why(db, capsys):
    status, message, _ = run_probe("--timeout", "1")
    assert status == 1 and "no broker configured" in message
    assert not WorkerPing.objects.exists()


def wait_until_the_worker_answers():
    wait_for(lambda: probe(timeout=5).alive, timeout=90, message="the worker to start and answer")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_probe_passes_with_a_live_worker_and_fails_with_a_stopped_one(start_worker, capsys):
    worker = start_worker()
    wait_until_the_worker_answers()

    status, _, seconds = run_probe("--timeout", "10")
    assert status == 0 and seconds < 10
    assert "answered in" in capsys.readouterr().out
    # Asked by name, through the worker's own queue; a worker that does not exist never answers.
    assert run_probe("--timeout", "10", "--worker", f"celery@{socket.gethostname()}")[0] == 0
    assert run_probe("--timeout", "2", "--worker", "celery@nobody.invalid")[0] == 1

    worker.pause()  # alive for its supervisor's pid check, and working no more
    status, message, seconds = run_probe("--timeout", "3")
    assert status == 1 and "no worker ran a task within 3 s" in message
    assert 3 <= seconds < 3 + 2, seconds  # it waits its timeout and not (much) longer

    worker.resume()
    # Back at work; the pings it missed have expired and are dropped, not run late.
    status, _, _ = run_probe("--timeout", "10")
    assert status == 0
    assert not WorkerPing.objects.exists()  # every probe cleans up after itself


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_probe_fails_when_the_broker_does_not_answer(start_worker, broker):
    start_worker()
    wait_until_the_worker_answers()
    broker.pause()
    status, message, seconds = run_probe("--timeout", "2")
    assert status == 1 and "Timeout" in message, message
    assert seconds < 2 + 1, seconds


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_takes_work_again_after_a_broker_stall_during_a_task(start_worker, broker, tmp_path):
    """The broker stalls while a task runs and past the worker's socket timeout, so the worker cannot
    acknowledge it; once the broker answers again the worker takes work again (the probe passes). Had
    it stopped consuming, as once seen in production, the probe would fail and its supervisor restart it."""
    start_worker(WORKER_BROKER_SOCKET_TIMEOUT=1)
    wait_until_the_worker_answers()
    marker = tmp_path / "started"
    current_app.send_task("tests.outbox.sleep", args=[3, str(marker)])
    wait_for(marker.exists, timeout=20, message="the slow task to start")
    broker.pause()
    time.sleep(3 + 1 + 1)  # the task ends, its acknowledgement times out
    broker.resume()
    status, message, _ = run_probe("--timeout", "30")
    assert status == 0, message
