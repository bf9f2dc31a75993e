# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install system-deps run migrate load test lint check worker beat messages bench clean

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

run: load
	$(PY) manage.py runserver 127.0.0.1:8000

test: install system-deps
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

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
