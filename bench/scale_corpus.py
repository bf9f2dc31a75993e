#!/usr/bin/env python
"""Benchmark: build the national-size corpus (manage.py load_scale_corpus) on fresh databases, time each phase.

    .venv/bin/python bench/scale_corpus.py                        # 50,000 documents, PostgreSQL then SQLite
    .venv/bin/python bench/scale_corpus.py --engine postgresql --keep
                                       # PostgreSQL only, and keep the result as database `welfare_scale`
    .venv/bin/python bench/scale_corpus.py --documents 2000 --engine sqlite
    .venv/bin/python bench/scale_corpus.py --engine postgresql --no-index   # the writing phases alone

Goal (issue 8): 50,000 documents, search index included, in 15 minutes on the 2-core machine. The
script prints the time of each phase (tree, pages, specific rows, registry, index, ANALYZE), the rate and
the whole run as a ratio of the time the goal allows for that many documents (≤ 1.00 meets it).

It never touches the project's own database: PostgreSQL (server from DATABASE_URL, default
postgres://postgres@127.0.0.1:5432) gets a scratch `welfare_scale_bench` that is dropped afterwards,
or with --keep a `welfare_scale` that stays (replaced if it exists) for other benchmarks; SQLite a
scratch file in /tmp, removed unless --keep.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from load_tree import scratch_postgres, scratch_sqlite  # noqa: E402

GOAL_DOCUMENTS = 50_000
GOAL_SECONDS = 15 * 60
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PHASES = ["tree", "pages", "specific rows", "registry", "index", "analyze"]


def build(args):
    """In a child process (Django is set up once per database): migrate, then load and report."""
    os.environ["DATABASE_URL"] = args.child_url
    # Test settings: DEBUG off (no query log growing with 50,000 pages), no secrets needed.
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    django.setup()
    # App loading: the loader imports models, which only django.setup() on the child's database makes ready.
    from demo.scale_corpus import CorpusLoader

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    loader = CorpusLoader(seed=args.seed, batch_size=args.batch_size, search_index=not args.no_index, progress=True)
    result = loader.load(args.documents)
    total = time.perf_counter() - migrated

    allowed = GOAL_SECONDS * args.documents / GOAL_DOCUMENTS
    print(f"\n{connection.vendor}: {args.documents:,} documents "
          + ", ".join(f"{n:,} {kind}" for kind, n in sorted(result.created.items()))
          + f"; {result.registered:,} charters registered; {result.networks_created:,} networks loaded")
    print(f"  migrate (fresh database, not counted) {migrated - started:8.1f} s")
    for phase in PHASES:
        extra = ""
        if phase == "tree" and result.tree_index_seconds:
            extra = f"   (of which search index of the networks {result.tree_index_seconds:.1f} s)"
        print(f"  {phase:38}{result.seconds.get(phase, 0.0):8.1f} s{extra}")
    print(f"  {'total':38}{total:8.1f} s   {args.documents / total:7.1f} documents/s")
    verdict = "meets" if total <= allowed else "misses"
    if args.no_index:
        verdict = "without the search index, which the goal counts"
    print(f"  goal: {GOAL_DOCUMENTS:,} in {GOAL_SECONDS / 60:.0f} min, i.e. {allowed:.0f} s for {args.documents:,}: "
          f"ratio {total / allowed:.2f} ({verdict})")
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=GOAL_DOCUMENTS)
    parser.add_argument("--engine", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the PostgreSQL result as `welfare_scale` (and the SQLite file).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--no-index", action="store_true",
                        help="Build no search index (the goal counts it: the ratio is then of the rest only).")
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.documents <= 0:
        sys.exit("--documents must be 1 or more.")
    if args.child_url:
        build(args)
        return

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = DEFAULT_SERVER
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    for engine in engines:
        if engine == "postgresql":
            url, _existed, cleanup = scratch_postgres(server, "welfare_scale" if args.keep else "welfare_scale_bench")
            if args.keep:
                cleanup = None
        else:
            url, _exists, cleanup = scratch_sqlite()
        try:
            subprocess.run(
                [sys.executable, __file__, "--child-url", url, "--documents", str(args.documents),
                 "--seed", str(args.seed), "--batch-size", str(args.batch_size)]
                + (["--no-index"] if args.no_index else []),
                check=True, cwd=BASE_DIR,
            )
        finally:
            if args.keep:
                print(f"kept: {url}")
            else:
                cleanup()


if __name__ == "__main__":
    main()
