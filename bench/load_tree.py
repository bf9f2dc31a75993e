#!/usr/bin/env python
"""Benchmark: load the network tree of the whole country into a fresh database and print the time.

    .venv/bin/python bench/load_tree.py                      # SQLite, scratch file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/load_tree.py
                                                             # PostgreSQL: server and credentials from the
                                                             # URL, database `welfare_bench` created and dropped
    .venv/bin/python bench/load_tree.py --province 57        # one province only

It never touches the project's own database: SQLite goes to a scratch file that is removed
afterwards, PostgreSQL to a `welfare_bench` database that is dropped afterwards.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BENCH_DB_NAME = "welfare_bench"


def scratch_postgres(url, name=BENCH_DB_NAME, keep=False):
    """An empty database `name` on the server of `url`; return its URL, whether it was kept from an
    earlier run, and a cleanup. With `keep`, an existing one is reused and nothing is dropped."""
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))

    def run(sql, params=()):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchone() if sql.startswith("SELECT") else conn.execute(sql)

    existed = keep and run("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None
    if not existed:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        run(f"CREATE DATABASE {name}")
    cleanup = (lambda: None) if keep else (lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    return bench_url, existed, cleanup


def scratch_sqlite(path=None, keep=False):
    """A SQLite file (`path`, or a new scratch file); return its URL, whether it exists already, and a
    cleanup that removes it unless `keep`."""
    if path is None:
        fd, path = tempfile.mkstemp(prefix="welfare_bench_", suffix=".sqlite3")
        os.close(fd)
        os.unlink(path)
    exists = Path(path).exists()

    def cleanup():
        if keep:
            return
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return f"sqlite:///{path}", exists, cleanup


def scratch_database(name=BENCH_DB_NAME, sqlite_path=None, keep=False):
    """A scratch database on the engine DATABASE_URL names: PostgreSQL database `name` on its server, or a
    SQLite file (`sqlite_path` or a new one). Returns its URL, whether it was kept from an earlier run, a
    cleanup, and the engine's name. Never the project's own database."""
    target = os.environ.get("DATABASE_URL", "")
    if target.startswith(("postgres://", "postgresql://")):
        return (*scratch_postgres(target, name, keep), "PostgreSQL")
    if not target or target.startswith("sqlite:"):
        return (*scratch_sqlite(sqlite_path, keep), "SQLite")
    sys.exit(f"Unsupported DATABASE_URL: {target}")


def use_scratch_database(url):
    """Point Django at the scratch database and load the apps, with the test settings: DEBUG off (no
    query log), no secrets needed, e-mail kept in memory."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", action="append", dest="provinces", metavar="CODE",
                        help="Load only this province (may be repeated). Default: the whole country.")
    args = parser.parse_args()

    url, _existed, cleanup, engine = scratch_database()
    try:
        use_scratch_database(url)
        # App loading: the models can be imported only once django.setup() has run on the scratch database.
        from networks.models import NetworkPage
        from networks.tree import TreeLoader

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()

        result = TreeLoader().load(args.provinces)
        loaded = time.perf_counter()

        again = TreeLoader().load(args.provinces)
        reloaded = time.perf_counter()

        scope = "provinces " + ", ".join(args.provinces) if args.provinces else "the whole country"
        print(f"{engine} {connection.vendor} — {scope}")
        print(f"  migrate (fresh database)   {migrated - started:7.2f} s")
        print(f"  load tree                  {loaded - migrated:7.2f} s   "
              + ", ".join(f"{count} {level}" for level, count in result.created.items()))
        print(f"    of which search indexing {result.index_seconds:7.2f} s   "
              f"({settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND']})")
        print(f"  second load (idempotent)   {reloaded - loaded:7.2f} s   created {again.total_created}")
        print(f"  networks in the database   {NetworkPage.objects.count():7d}")
        connection.close()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
