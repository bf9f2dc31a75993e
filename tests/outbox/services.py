"""A private Redis server and real Celery worker processes for the `services` tests.

The machine's Redis is shared with other people, so these tests start their own redis-server on a
free port and stop and start it at will. Under CI (CI=true) a missing service is a failure, never a skip.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CELERY = BASE_DIR / ".venv" / "bin" / "celery"


def missing_service(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            missing_service("redis-server is not installed")
        # No persistence: a stopped broker forgets what it held, the worst case for the outbox.
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail("the test redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.resume()  # a stopped process cannot act on SIGTERM
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def pause(self):
        """SIGSTOP: the server keeps its port and accepts connections (the kernel does) but answers
        nothing, as a hung or swapping Redis does."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)


def worker_database_url():
    """The URL of the database the test is using right now (the test database, not the named one)."""
    settings = connection.settings_dict
    if settings["ENGINE"] != "django.db.backends.postgresql":
        missing_service("a worker process needs the PostgreSQL test database (set DATABASE_URL)")
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


class Worker:
    def __init__(self, broker_url, email_dir, media_root, **extra_env):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": worker_database_url(),
            "TEST_EMAIL_DIR": str(email_dir),
            "DJANGO_MEDIA_ROOT": str(media_root),
            "PYTHONPATH": str(BASE_DIR),
            **{k: str(v) for k, v in extra_env.items()},
        }
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "cms", "worker", "-P", "solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=sys.stderr.fileno()
            if os.environ.get("TEST_WORKER_LOG") else subprocess.DEVNULL,
        )
        return self

    def kill(self):
        """SIGKILL: no shutdown, no acknowledgement, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        # Tests are done with it: no shutdown courtesy (a warm shutdown of a solo worker takes seconds).
        self.kill()

    def pause(self):
        """SIGSTOP: the process lives on (a supervisor watching the pid sees nothing wrong) but works no more."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


def wait_for(condition, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {message}")
