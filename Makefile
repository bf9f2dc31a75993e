# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install system-deps run serve migrate load test test-fast lint check worker beat messages bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Chromium (browser tests), Pango (PDFs), redis-server (broker-outage tests): Debian packages.
system-deps:
	bin/system-deps

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_network_tree
	$(PY) manage.py load_demo

# The development server also runs beat's schedule (deadlines, reminders) itself without a broker
# (registry/scheduler.py); with CELERY_BROKER_URL, run `make beat` next to it.
run: load
	$(PY) manage.py runserver 127.0.0.1:8000

# Production serving, as on a real app server: production settings, migrate, collectstatic, gunicorn
# (cms/gunicorn.conf.py). It never invents a secret: the three variables come from the environment.
SERVE_VARS := DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS CELERY_BROKER_URL
serve: export DJANGO_SETTINGS_MODULE = cms.settings.production
serve: install
	@missing=; for v in $(SERVE_VARS); do [ -n "$$(printenv $$v)" ] || missing="$$missing $$v"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make serve runs the production settings, which need:$$missing"; \
	  echo "For example (keep the key secret and the same on every app server):"; \
	  echo "  export DJANGO_SECRET_KEY='$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')'"; \
	  echo "  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost      # the site's host names, comma-separated"; \
	  echo "  export CELERY_BROKER_URL=redis://127.0.0.1:6379/0     # and run make worker and make beat"; \
	  echo "See README.md, Running in production."; \
	  exit 1; \
	fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn -c cms/gunicorn.conf.py

# PYTEST_ARGS: extra pytest options; .ci/run passes the two-worker ones of test-fast.
# Bytecode is kept (in __pycache__, which git ignores): where the machine sets PYTHONDONTWRITEBYTECODE (ours
# do), every process of a run (pytest, its workers, the servers and commands the tests start) otherwise
# compiles the project and rewrites the test modules' asserts again, about 4 s a process.
test test-fast: export PYTHONDONTWRITEBYTECODE =
test: install system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The same suite on two processes (pytest-xdist, each with its own test database), for local runs. Tests
# go out in collection order (pytest-django's transactional tests last on each process); a group marked
# xdist_group stays on one process: the production server of tests/cms, and each module whose tests share
# data built once for it (tests/scoped.py, marked in tests/conftest.py).
test-fast: install system-deps
	$(VENV)/bin/pytest -n 2 --dist loadgroup

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# A worker and the scheduler need a broker: without CELERY_BROKER_URL tasks run in-process anyway.
worker: install
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run a worker."; exit 1; }
	$(VENV)/bin/celery -A cms worker --loglevel=info

beat: install
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run the scheduler."; exit 1; }
	$(VENV)/bin/celery -A cms beat --loglevel=info --schedule $(VENV)/celerybeat-schedule

messages: install
	$(PY) manage.py makemessages -l th -l en --no-obsolete \
		--ignore=.venv --ignore=static_collected --ignore=media --ignore=artifacts --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv --ignore=static_collected --ignore=media --ignore=artifacts

bench: install
	$(PY) bench/load_tree.py

clean:
	rm -rf $(VENV) db.sqlite3 media
