"""gunicorn configuration: `gunicorn -c cms/gunicorn.conf.py` (what `make serve` runs).

Every value can be set from the environment, so one file serves every app server:
GUNICORN_BIND (default 127.0.0.1:8000; 0.0.0.0:8000 behind a proxy on another machine),
GUNICORN_WORKERS (default 2 × CPUs + 1), GUNICORN_TIMEOUT (seconds, default 60), GUNICORN_MAX_REQUESTS,
GUNICORN_FORWARDED_ALLOW_IPS, GUNICORN_LOGLEVEL (below).
"""

import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
# Sync workers: pages are rendered on the CPU (templates, Thai segmentation), and slow clients are the
# proxy's business, not the app server's.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Load Django and warm it up (cms/wsgi.py: PyThaiNLP's dictionary, URLs, catalogs, templates) once in the
# master, before the port opens: every worker is forked warm and takes traffic at full speed.
preload_app = True
# A worker is replaced, forked warm from the master, after about a thousand requests (GUNICORN_MAX_REQUESTS,
# 0: never), so that memory a long-running worker collects is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# The proxy in front sets X-Forwarded-Proto; trust it from the addresses listed (default: this machine).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# gunicorn's control socket is one path per user: a second server on the machine (a test, a benchmark)
# would take it over. Nothing here uses it.
control_socket_disable = True


def worker_exit(server, worker):
    """A worker that has finished its last request leaves at once: letting Python free the preloaded
    heap object by object took seconds per worker, which held up restarts and deploys."""
    os._exit(0)
