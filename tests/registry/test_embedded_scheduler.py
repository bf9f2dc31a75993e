"""The scheduler of the embedded default (`make run`: no broker, no Celery beat): the development server
runs beat's schedule itself (registry/scheduler.py), so the local office's 30 days and the reminders fire;
each check runs once per interval across processes."""

import datetime
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
import time_machine

from outbox.models import SentReminder
from outbox.relay import relay_pending
from registry import scheduler
from registry.models import ScheduledRun
from registry.services import register
from tests.database_template import BASE_DIR, copy_template_to, uses_sqlite
from tests.factories import add_charter, add_province, make_committee_member
from tests.workflows.conftest import current_task_state, run_to, world  # noqa: F401 (the fixture)
from workflows.road import step_for_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(home):
    from tests.factories import make_registrar

    registrar = make_registrar("registrar_x", email="registrar_x@example.org")
    network = add_province(home, "50", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่")
    make_committee_member(network, "cm_chair", "chair", email="cm_chair@example.org")
    return register(add_charter(network, publish=True), registrar, on_date=datetime.date(2026, 1, 10))


def test_the_embedded_scheduler_runs_the_local_offices_30_days(world, client):  # noqa: F811
    run_to(client, world, "local")
    charter = world["charter"]
    started = current_task_state(charter).started_at
    names = [name for name, _task, _interval in scheduler.beat_schedule()]
    assert {"check-workflow-deadlines", "send-due-reminders", "relay-outbox"} <= set(names)

    with time_machine.travel(started + datetime.timedelta(days=29), tick=False):
        results = scheduler.run_due()
    assert results["check-workflow-deadlines"] == 0
    assert step_for_task(current_task_state(charter).task).key == "local_government_comment"
    # Within the hour, a second run (another process, or the next tick) claims nothing.
    with time_machine.travel(started + datetime.timedelta(days=29, seconds=15), tick=False):
        assert scheduler.run_due() == {}
    # Ten minutes on, only the relay (every 30 s) is due again, not the hourly deadline check.
    with time_machine.travel(started + datetime.timedelta(days=29, minutes=10), tick=False):
        assert set(scheduler.run_due()) == {"relay-outbox"}
    with time_machine.travel(started + datetime.timedelta(days=30, hours=1), tick=False):
        results = scheduler.run_due()
    assert results["check-workflow-deadlines"] == 1
    assert step_for_task(current_task_state(charter).task).key == "provincial_review"
    assert ScheduledRun.objects.get(name="check-workflow-deadlines").last_result == "1"


def test_the_embedded_scheduler_sends_the_reminders(org):
    relay_pending()
    window = datetime.datetime(2027, 4, 5, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(window, tick=False):
        results = scheduler.run_due()
    assert results["send-due-reminders"] >= 1
    reminder = SentReminder.objects.get(kind="half_year_report")
    assert "cm_chair@example.org" in reminder.message.payload["to"]
    with time_machine.travel(window + datetime.timedelta(hours=1), tick=False):
        assert scheduler.run_due()["send-due-reminders"] == 0  # once per half-year


def test_a_failing_check_does_not_stop_the_others(org, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "broken": {"task": "no.such.task", "schedule": 60.0},
        "send-due-reminders": {"task": "outbox.tasks.send_due_reminders", "schedule": 60.0},
    }
    results = scheduler.run_due()
    assert results["broken"].startswith("error:") and results["send-due-reminders"] == 0


def test_the_scheduler_starts_only_in_the_serving_process(settings):
    settings.EMBEDDED_SCHEDULER = True
    assert scheduler.should_start(["manage.py", "runserver", "127.0.0.1:8000"], {"RUN_MAIN": "true"})
    assert scheduler.should_start(["manage.py", "runserver", "--noreload"], {})
    assert not scheduler.should_start(["manage.py", "runserver"], {})  # the autoreloader's watcher
    assert not scheduler.should_start(["manage.py", "migrate"], {"RUN_MAIN": "true"})
    settings.EMBEDDED_SCHEDULER = False  # with a broker, `make beat` does it
    assert not scheduler.should_start(["manage.py", "runserver"], {"RUN_MAIN": "true"})


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runs(db_path):
    with sqlite3.connect(db_path, timeout=10) as conn:
        return dict(conn.execute("SELECT name, last_started_at FROM registry_scheduledrun WHERE last_finished_at IS NOT NULL"))


# Before any start a server records (SQLite keeps Django's datetimes as ISO text: text order is time order).
LONG_AGO = "2000-01-01 00:00:00"


def _make_due(db_path, name):
    """As if `name` last started long ago: the next tick of a server claims it."""
    with sqlite3.connect(db_path, timeout=10) as conn:
        conn.execute("UPDATE registry_scheduledrun SET last_started_at = ? WHERE name = ?", (LONG_AGO, name))


@pytest.mark.skipif(not uses_sqlite(), reason="the embedded default runs on SQLite")
def test_make_runs_server_runs_the_schedule_once_across_two_processes(tmp_path):
    """`manage.py runserver` as `make run` starts it (dev settings, no broker, the autoreloader): the
    serving process runs beat's schedule; a second server on the same database runs nothing the
    first ran within its interval."""
    db_path = tmp_path / "db.sqlite3"
    copy_template_to(db_path)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": f"sqlite:///{db_path}",
        "CELERY_BROKER_URL": "", "EMBEDDED_SCHEDULER_FIRST_DELAY_SECONDS": "0", "EMAIL_BACKEND":
        "django.core.mail.backends.locmem.EmailBackend", "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("EMBEDDED_SCHEDULER", None)
    servers = []
    try:
        # The first server's first tick runs everything (all is due on a new site); its next tick is an
        # hour away, so every later start is the second server's. (Repeated ticks of one process are
        # test_the_embedded_scheduler_runs_the_local_offices_30_days's.)
        servers.append(subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{_free_port()}"], cwd=BASE_DIR,
            env={**env, "EMBEDDED_SCHEDULER_TICK_SECONDS": "3600"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))
        deadline = time.monotonic() + 60
        while len(first := _runs(db_path)) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert {"check-workflow-deadlines", "send-due-reminders", "relay-outbox", "prune-outbox"} <= set(first)
        servers.append(subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{_free_port()}"], cwd=BASE_DIR,
            env={**env, "EMBEDDED_SCHEDULER_TICK_SECONDS": "0.2"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))
        # Evidence that the second server ticks: the relay (first in the schedule) made due, three times,
        # and each time started again. A tick claims it at most once, so by the third start two whole
        # ticks of the second server have also tried the hourly and daily checks.
        for chance in range(3):
            _make_due(db_path, "relay-outbox")
            deadline = time.monotonic() + 60
            while _runs(db_path)["relay-outbox"] == LONG_AGO and time.monotonic() < deadline:
                assert servers[1].poll() is None, "the second server stopped"
                time.sleep(0.1)
            assert _runs(db_path)["relay-outbox"] > LONG_AGO, f"the second server's tick {chance + 1}"
        assert servers[1].poll() is None
        later = _runs(db_path)
        # Hourly and daily checks ran once, by the first server; neither server ran them again.
        for name in ("check-workflow-deadlines", "send-due-reminders", "prune-outbox"):
            assert later[name] == first[name], name
    finally:
        for server in servers:
            # The autoreloader's serving child is in the server's own session: stop both.
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
