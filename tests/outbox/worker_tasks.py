"""Tasks that only the test workers know (imported through worker_settings.CELERY_IMPORTS)."""

import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.outbox.sleep", acks_late=True, ignore_result=True)
def sleep(seconds, started_marker):
    """Holds the worker for a while, acknowledged at the end like the outbox tasks; touches
    `started_marker` first so the test knows it runs."""
    Path(started_marker).touch()
    time.sleep(seconds)
