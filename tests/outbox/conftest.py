import os
from email import message_from_string
from email.header import decode_header, make_header

import pytest
from django.contrib.auth.models import Group, Permission

from cms.celery import app
from tests.factories import make_user

from .services import RedisServer, Worker, free_port


def make_staff(username, *, can_change_outbox=True, email=""):
    """A staff user who may open the admin and, unless told otherwise, change outbox messages."""
    user = make_user(username, email=email)
    group, _ = Group.objects.get_or_create(name=f"outbox-tests {can_change_outbox}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if can_change_outbox:
        group.permissions.add(Permission.objects.get(codename="change_outboxmessage"))
    user.groups.add(group)
    return user


_saved_env = {}


def use_broker(url):
    """Point this (test) process's Celery app at a real broker, as in production."""

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration, and CI
    # exports it (the machine's Redis): point the variable at this test's broker too.
    _saved_env.setdefault("CELERY_BROKER_URL", os.environ.get("CELERY_BROKER_URL"))
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _drop_connections(app)


def use_eager():
    if "CELERY_BROKER_URL" in _saved_env:
        saved = _saved_env.pop("CELERY_BROKER_URL")
        if saved is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved
    app.conf.task_always_eager = True
    _drop_connections(app)


def _drop_connections(app):
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    use_broker(redis_server.url)
    yield redis_server
    use_eager()


@pytest.fixture
def email_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def start_worker(broker, email_dir, media_root):
    workers = []

    def start(**extra_env):
        worker = Worker(broker.url, email_dir, media_root, **extra_env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def sent_subjects(email_dir):
    """Subjects of the e-mails the workers wrote (the file backend: one file per connection)."""

    subjects = []
    for path in sorted(email_dir.iterdir()):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                subjects.append(str(make_header(decode_header(message_from_string(raw.strip())["Subject"]))))
    return subjects
