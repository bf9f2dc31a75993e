#!/usr/bin/env python
"""Benchmark: Thai search at national size, PostgreSQL and SQLite in the same run (issue 8).

    .venv/bin/python bench/search_scale.py                      # 50,000 documents, both databases
    .venv/bin/python bench/search_scale.py --documents 5000 --engine postgresql
    .venv/bin/python bench/search_scale.py --keep               # keep the built databases ...
    .venv/bin/python bench/search_scale.py --reuse              # ... and measure them again, no build

For each database: a fresh database (PostgreSQL `welfare_search_scale` on the server of DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; SQLite /tmp/welfare_search_scale.sqlite3), `manage.py
migrate`, `manage.py load_scale_corpus --documents N --force` (the national tree, N generated
documents, the search index), ANALYZE; then a fixed list of realistic queries (single words, words
inside compounds, phrases of several words, a province filter, a type filter, province names,
English, a later page) through `thaisearch.api.search`, each run --repeat times after one warm-up
round. It prints p50/p95 per database with the ratio to the goal (50 ms on PostgreSQL, 200 ms on
SQLite; a ratio ≤ 1.00 meets it), the build time with its ratio to the goal of 50,000 documents in
15 minutes, and on PostgreSQL the EXPLAIN ANALYZE of the slowest query's search statement.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import psycopg
from django.db import connection
from django.test.utils import CaptureQueriesContext

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from thaisearch import search  # noqa: E402

GOAL_MS = {"postgresql": 50.0, "sqlite": 200.0}
GOAL_DOCUMENTS, GOAL_BUILD_SECONDS = 50_000, 15 * 60
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "welfare_search_scale"
SQLITE_PATH = "/tmp/welfare_search_scale.sqlite3"

# (label, query, filters): what readers type, and the filters the search page offers.
QUERIES = [
    ("word", "กองทุน", {}),
    ("word", "สมาชิก", {}),
    ("word", "สวัสดิการ", {}),
    ("word", "ประชุม", {}),
    ("word", "เหรัญญิก", {}),
    ("word in compounds", "ระเบียบ", {}),
    ("word in compounds", "สมทบ", {}),
    ("word in compounds", "กรรมการ", {}),
    ("word in compounds", "พยาบาล", {}),
    ("compound", "เงินสมทบ", {}),
    ("compound", "บัญชีรายชื่อ", {}),
    ("compound", "ผู้สูงอายุ", {}),
    ("phrase", "แผนปฏิบัติการ", {}),
    ("phrase", "ที่ประชุมใหญ่", {}),
    ("phrase", "ค่ารักษาพยาบาล", {}),
    ("phrase", "รายงานการเงิน", {}),
    ("phrase", "องค์การบริหารส่วนตำบล", {}),
    ("two ideas", "กองทุน ตำบล", {}),
    ("two ideas", "สวัสดิการ ผู้สูงอายุ", {}),
    ("province name", "เชียงราย", {}),
    ("province name", "ขอนแก่น", {}),
    ("province filter", "ข้อบังคับ", {"province_code": "57"}),
    ("province filter", "กองทุน", {"province_code": "11"}),
    ("type filter", "ระเบียบ", {"kinds": ["charter"]}),
    ("type filter", "งบประมาณ", {"kinds": ["plan"]}),
    ("type filter", "มติ", {"kinds": ["minutes"]}),
    ("both filters", "สมาชิก", {"kinds": ["minutes"], "province_code": "40"}),
    ("English", "Chiang Rai", {}),
    ("English", "welfare fund", {}),
    ("later page", "สมาชิก", {"offset": 40}),
]


def run(command, url, **kwargs):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=True, **kwargs)


def database_url(engine, server, fresh):
    """The URL of the benchmark database; with `fresh`, created empty (replacing an old one)."""
    if engine == "sqlite":
        if fresh:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(SQLITE_PATH + suffix).unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    parts = urlsplit(server)
    if fresh:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
    return urlunsplit(parts._replace(path=f"/{PG_NAME}"))


def build(url, documents):
    """migrate + load_scale_corpus; the seconds of the load (tree, pages, index, ANALYZE)."""
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--verbosity", "0"], url)
    started = time.perf_counter()
    run([*manage, "load_scale_corpus", "--documents", str(documents), "--force", "--verbosity", "1"], url)
    return time.perf_counter() - started


def measure(repeat):
    """In a child process set up on one database: time every query; print one JSON line."""
    django.setup()
    # App loading: thaisearch.entries imports models, which only django.setup() makes ready.
    from thaisearch.entries import TABLE

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        (entries,) = cursor.fetchone()

    for _label, query, filters in QUERIES:  # warm-up: dictionaries, content types, caches
        search(query, **filters)
    timings, per_query = [], []
    for label, query, filters in QUERIES:
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = search(query, **filters)
            [str(hit.snippet_html) for hit in result]
            seconds.append(time.perf_counter() - started)
        timings += seconds
        per_query.append({
            "label": label, "query": query, "filters": filters, "total": result.total,
            "capped": result.total_capped, "ms": statistics.median(seconds) * 1000,
        })
    slowest = max(per_query, key=lambda q: q["ms"])
    plan = ""
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as captured:
            search(slowest["query"], **slowest["filters"])
        statement = next(q["sql"] for q in captured.captured_queries if "ts_rank" in q["sql"])
        with connection.cursor() as cursor:
            # With the planner settings thaisearch.entries.search_window uses for the search.
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET jit = off")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            plan = statement + "\n" + "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET jit")
    timings.sort()
    print(json.dumps({
        "vendor": connection.vendor, "entries": entries, "queries": per_query, "plan": plan,
        "p50": statistics.median(timings) * 1000,
        "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))] * 1000,
    }, ensure_ascii=False))


def report(engine, data, build_seconds, documents):
    goal = GOAL_MS[engine]
    print(f"\n== {engine}: {data['entries']:,} entries in the public search index")
    if build_seconds is not None:
        allowed = GOAL_BUILD_SECONDS * documents / GOAL_DOCUMENTS
        print(f"build (load_scale_corpus --documents {documents:,}, index and ANALYZE included): "
              f"{build_seconds:.0f} s, ratio {build_seconds / allowed:.2f} to the goal ({allowed:.0f} s)")
    print(f"{'kind':18} {'query':28} {'filters':34} {'found':>6} {'ms':>8}")
    for q in data["queries"]:
        found = f"{q['total']:,}" + ("+" if q["capped"] else "")
        filters = ", ".join(f"{k}={v}" for k, v in q["filters"].items())
        print(f"{q['label']:18} {q['query']:28} {filters:34} {found:>6} {q['ms']:8.1f}")
    print(f"p50 {data['p50']:.1f} ms (ratio {data['p50'] / goal:.2f}), "
          f"p95 {data['p95']:.1f} ms: ratio {data['p95'] / goal:.2f} to the goal of {goal:.0f} ms "
          f"({'meets' if data['p95'] <= goal else 'misses'} it)")
    if data["plan"]:
        print("EXPLAIN ANALYZE of the slowest query's search statement:")
        print(data["plan"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=GOAL_DOCUMENTS)
    parser.add_argument("--engine", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="Runs of each query (default 5).")
    parser.add_argument("--keep", action="store_true", help="Keep the databases for --reuse.")
    parser.add_argument("--reuse", action="store_true", help="Measure the databases kept by --keep.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.repeat)
        return
    if args.documents <= 0 or args.repeat <= 0:
        sys.exit("--documents and --repeat must be 1 or more.")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = DEFAULT_SERVER
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    for engine in engines:
        url = database_url(engine, server, fresh=not args.reuse)
        try:
            build_seconds = None if args.reuse else build(url, args.documents)
            output = run([sys.executable, __file__, "--measure", "--repeat", str(args.repeat)], url,
                         capture_output=True, text=True).stdout
            report(engine, json.loads(output.strip().splitlines()[-1]), build_seconds, args.documents)
        finally:
            if not (args.keep or args.reuse):
                database_url(engine, server, fresh=True) if engine == "sqlite" else _drop(server)


def _drop(server):
    admin = urlunsplit(urlsplit(server)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
