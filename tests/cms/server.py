"""The production settings under a real gunicorn, on a scratch database: for tests/production and
bench/serve_pages.py. Plain Python (no pytest), so the benchmark can use it too.

The server runs exactly what `make serve` runs (migrate, collectstatic, gunicorn -c cms/gunicorn.conf.py),
with its own static root, media root and database, so it never touches the project's files.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Nothing listens on port 9 (discard): the pages must be served with the broker away.
ABSENT_BROKER = "redis://127.0.0.1:9/0"


def redis_cache_url():
    """Production keeps the public page cache in Redis: the server of CELERY_BROKER_URL (CI's) or this
    machine's, database 5. Raises ServiceMissing if nothing answers there."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    parts = urlsplit(broker if broker.startswith("redis://") else "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError as exc:
        raise ServiceMissing(f"Redis at {parts.hostname}:{parts.port or 6379} is not reachable: {exc}") from exc
    return urlunsplit(parts._replace(path="/5"))


class ServiceMissing(Exception):
    """A service the server needs (the PostgreSQL of DATABASE_URL) cannot be reached."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_database(workdir, suffix):
    """A fresh, empty database on the engine of DATABASE_URL: an SQLite file in `workdir`, or on the
    PostgreSQL server of DATABASE_URL a database named after it plus `suffix`. Returns (url, drop)."""
    target = os.environ.get("DATABASE_URL", "")
    if not target.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{Path(workdir) / 'db.sqlite3'}", lambda: None

    parts = urlsplit(target)
    name = f"{parts.path.lstrip('/') or 'welfare'}_{suffix}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(sql):
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)

    try:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        run(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise ServiceMissing(f"PostgreSQL of DATABASE_URL is not reachable: {exc}") from exc
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ProductionServer:
    def __init__(self, workdir, database_url, cache_url, workers=2, env=None):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log_path = self.workdir / "gunicorn.log"
        self.static_root = self.workdir / "static"
        self.media_root = self.workdir / "media"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DJANGO_SECRET_KEY": "production-test-key-not-secret",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": ABSENT_BROKER,
            # A prefix of its own: entries of an earlier run (same page ids, other database) are never read.
            "CACHE_URL": cache_url,
            "CACHE_KEY_PREFIX": f"serving-{uuid.uuid4().hex[:12]}",
            "DATABASE_URL": database_url,
            "DJANGO_STATIC_ROOT": str(self.static_root),
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_LOGLEVEL": "warning",
            "PYTHONUNBUFFERED": "1",
            # Plain HTTP on the loopback, no TLS proxy in front: no redirect to https.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **(env or {}),
        }

    def manage_command(self, *args):
        return [sys.executable, str(BASE_DIR / "manage.py"), *args]

    def manage(self, *args):
        """Run a management command under the production settings; raise with its output if it fails."""
        done = subprocess.run(self.manage_command(*args), cwd=BASE_DIR, env=self.env,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self, collected=None):
        """migrate and collectstatic, side by side (they touch different things), as `make serve` does.
        `collected`: a folder collectstatic already filled under these settings, served instead (through a
        link: nothing writes to a static root after collectstatic)."""
        commands = {"migrate": self.manage_command("migrate", "--noinput")}
        if collected:
            self.static_root.symlink_to(Path(collected).resolve(), target_is_directory=True)
        else:
            commands["collectstatic"] = self.manage_command("collectstatic", "--noinput", "-v", "0")
        running = {
            name: subprocess.Popen(command, cwd=BASE_DIR, env=self.env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for name, command in commands.items()
        }
        for name, process in running.items():
            output, _ = process.communicate()
            if process.returncode:
                raise RuntimeError(f"{name} failed under the production settings:\n{output}")

    def start(self, timeout=60):
        """Start gunicorn and wait until /healthz answers (the app is preloaded and warm by then)."""
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "cms" / "gunicorn.conf.py")],
            cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.read_log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self  # it answers; the tests look at what it says
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.read_log()}")

    def worker_pids(self):
        """The pids of gunicorn's workers (children of the master)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def read_log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            # The master stops its workers at once; then, on its way out, Python frees the preloaded app
            # object by object (2-3 s of CPU), which nobody here waits for: killed once its workers are gone.
            deadline = time.monotonic() + 20
            while self.worker_pids() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.process.kill()
            self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
