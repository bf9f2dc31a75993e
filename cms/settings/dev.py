import os

from .base import *  # noqa: F403

DEBUG = True
# A development key only: production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-welfare-charters")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
# Without a broker there is no Celery beat: the development server runs beat's schedule itself on a
# timer thread (registry/scheduler.py): the local office's 30 days, reminders, the outbox relay.
EMBEDDED_SCHEDULER = os.environ.get("EMBEDDED_SCHEDULER", "1" if not CELERY_BROKER_URL else "0") == "1"  # noqa: F405
EMBEDDED_SCHEDULER_TICK_SECONDS = float(os.environ.get("EMBEDDED_SCHEDULER_TICK_SECONDS", "30"))
EMBEDDED_SCHEDULER_FIRST_DELAY_SECONDS = float(os.environ.get("EMBEDDED_SCHEDULER_FIRST_DELAY_SECONDS", "5"))
