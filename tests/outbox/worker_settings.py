"""Settings of the Celery worker processes that the `services` tests start: the test settings, but a
real broker, the test database of the pytest process, and e-mails written to files the test counts."""

import os

import dj_database_url

from cms.settings.test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
# "certificate=60": the worker sleeps that long after rendering a certificate, before saving it.
DOCUMENTS_TEST_PAUSE_AFTER_RENDER = {
    kind: float(seconds)
    for kind, _, seconds in (
        item.partition("=") for item in os.environ.get("DOCUMENTS_TEST_PAUSE_AFTER_RENDER", "").split(",") if item
    )
}
CELERY_IMPORTS = ["tests.outbox.worker_tasks"]
# A test may shorten how long the worker waits on a silent broker (to see a stall within seconds).
if os.environ.get("WORKER_BROKER_SOCKET_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "socket_timeout": float(os.environ["WORKER_BROKER_SOCKET_TIMEOUT"]),
    }
