"""The scheduler of the embedded default: `make run` has no broker and no Celery beat, so the development
server runs beat's schedule (CELERY_BEAT_SCHEDULE: the local office's 30 days, the reminders, the outbox
relay and pruning) itself, on a timer thread.

- It starts only in the process that serves requests (runserver's child under the autoreloader, or
  runserver --noreload), only when settings.EMBEDDED_SCHEDULER is on (cms/settings/dev.py: on without
  CELERY_BROKER_URL; with a broker, run `make beat`).
- Each check runs at most once per its interval across every process sharing the database: a process
  claims it with one conditional UPDATE of its ScheduledRun row (the row's last start must be an
  interval old), so a second server, or a server restarted by the autoreloader, skips what ran already.
- The checks themselves are the beat tasks, called in this thread; each is idempotent anyway (a
  reminder is sent once per period, a deadline closes a step once).
"""

import datetime
import logging
import threading

from celery import current_app
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)

DEFAULT_TICK_SECONDS = 30
# The server's first requests (and migrations run just before) go first
# (settings.EMBEDDED_SCHEDULER_FIRST_DELAY_SECONDS).
FIRST_TICK_DELAY_SECONDS = 5

_thread = None
_lock = threading.Lock()


def _seconds(schedule):
    if isinstance(schedule, datetime.timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, (int, float)):
        return float(schedule)
    # A crontab or solar schedule: its interval at most a day (run daily here).
    return float(getattr(schedule, "seconds", 24 * 60 * 60))


def beat_schedule():
    """[(name, task name, interval in seconds)] of CELERY_BEAT_SCHEDULE, in its order."""
    return [
        (name, item["task"], _seconds(item["schedule"])) for name, item in settings.CELERY_BEAT_SCHEDULE.items()
    ]


def claim(name, interval_seconds, now=None) -> bool:
    """True when this process may run `name` now: no process started it within the interval. One
    conditional UPDATE decides, on SQLite and PostgreSQL alike."""
    now = now or timezone.now()
    ScheduledRun.objects.bulk_create([ScheduledRun(name=name)], ignore_conflicts=True)
    # A little slack, so a tick a moment early does not skip a whole interval.
    last_allowed = now - datetime.timedelta(seconds=max(interval_seconds - 1, 0))
    return bool(
        ScheduledRun.objects.filter(name=name)
        .filter(Q(last_started_at__isnull=True) | Q(last_started_at__lte=last_allowed))
        .update(last_started_at=now)
    )


def _task(name):
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def run_due(now=None):
    """Run every check of beat's schedule that is due; returns {name: result} of those run here."""
    results = {}
    for name, task_name, interval in beat_schedule():
        if not claim(name, interval, now):
            continue
        try:
            result = _task(task_name)()
        except Exception as exc:  # one failing check must not stop the others, nor the thread
            logger.exception("Scheduled check %s failed", name)
            result = f"error: {type(exc).__name__}: {exc}"
        ScheduledRun.objects.filter(name=name).update(
            last_finished_at=timezone.now(), last_result=str(result)[:200]
        )
        results[name] = result
    return results


def _loop(stop, tick_seconds, first_delay):
    if stop.wait(first_delay):
        return
    while True:
        try:
            run_due()
        except Exception:
            logger.exception("The embedded scheduler's tick failed")
        finally:
            close_old_connections()
        if stop.wait(tick_seconds):
            return


def start(tick_seconds=None, first_delay=None):
    """Start the timer thread once per process; returns (thread, stop event)."""
    global _thread
    with _lock:
        if _thread is not None and _thread[0].is_alive():
            return _thread
        tick = tick_seconds or getattr(settings, "EMBEDDED_SCHEDULER_TICK_SECONDS", DEFAULT_TICK_SECONDS)
        if first_delay is None:
            first_delay = getattr(
                settings, "EMBEDDED_SCHEDULER_FIRST_DELAY_SECONDS", FIRST_TICK_DELAY_SECONDS
            )
        stop = threading.Event()
        thread = threading.Thread(
            target=_loop, args=(stop, tick, first_delay), name="embedded-scheduler", daemon=True
        )
        thread.start()
        _thread = (thread, stop)
        logger.info("Embedded scheduler started: beat's schedule runs in this process every %ss", tick)
        return _thread


def should_start(argv, environ) -> bool:
    """Only the development server's serving process, and only when the setting asks for it."""
    if not getattr(settings, "EMBEDDED_SCHEDULER", False):
        return False
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    # Under the autoreloader the parent only watches files; its child (RUN_MAIN) serves.
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
