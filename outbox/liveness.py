"""Is a worker taking work? A real round trip: a tiny task (outbox.ping) goes through the broker to a
worker, which writes its answer in the database. A worker can answer `celery inspect ping` (a side
channel) and still take no task (seen after a broker stall: its acknowledgements failed and its
consumer stopped), so only a task that really ran says it is alive. A supervisor (systemd, Kubernetes)
runs `manage.py worker_liveness` and restarts the worker when it fails; nothing is lost by a restart
(tasks are acknowledged late, and the relay hands over again what was not finished)."""

import datetime
import time
import uuid
from dataclasses import dataclass

from celery import current_app
from celery.utils.nodenames import worker_direct
from django.utils import timezone

from .models import WorkerPing
from .relay import is_eager

PING_TASK = "outbox.ping"
POLL_SECONDS = 0.1
# Rows of probes that were killed before they could clean up.
FORGET_AFTER = datetime.timedelta(hours=1)


@dataclass
class LivenessResult:
    alive: bool
    seconds: float
    answered_by: str = ""
    error: str = ""


def probe(timeout: float = 10.0, worker: str | None = None) -> LivenessResult:
    """Send a ping task (to `worker`'s own queue if given, else the shared one) and wait up to
    `timeout` seconds for a worker to run it. The task expires with the timeout, so a worker that
    comes back later does not run stale pings."""
    started = time.monotonic()
    if is_eager():
        return LivenessResult(False, 0.0, error="no broker configured (CELERY_BROKER_URL): tasks run in-process")
    WorkerPing.objects.filter(sent_at__lt=timezone.now() - FORGET_AFTER).delete()
    token = uuid.uuid4()
    WorkerPing.objects.create(token=token)
    try:
        routing = {"queue": worker_direct(worker)} if worker else {}
        # Publishing is bounded too: a broker that does not answer fails the probe within the timeout.
        patience = max(min(timeout, 5.0), 0.1)
        with current_app.connection_for_write(
            connect_timeout=patience,
            transport_options={"socket_timeout": patience, "socket_connect_timeout": patience, "max_retries": 0},
        ) as connection:
            current_app.send_task(
                PING_TASK, args=[str(token)], expires=timeout, connection=connection, retry=False, **routing
            )
        deadline = started + timeout
        while time.monotonic() < deadline:
            answer = WorkerPing.objects.filter(token=token, answered_at__isnull=False).values_list(
                "answered_by", flat=True
            ).first()
            if answer is not None:
                return LivenessResult(True, time.monotonic() - started, answered_by=answer)
            time.sleep(POLL_SECONDS)
        return LivenessResult(False, time.monotonic() - started, error=f"no worker ran a task within {timeout:g} s")
    except Exception as exc:  # the broker refused or did not answer
        return LivenessResult(False, time.monotonic() - started, error=f"{type(exc).__name__}: {exc}")
    finally:
        WorkerPing.objects.filter(token=token).delete()
