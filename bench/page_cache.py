#!/usr/bin/env python
"""Benchmark: the public page cache (public/cache.py). CPU per anonymous request and queries of a page
served from the cache, against the same page rendered without it, in the same run.

    .venv/bin/python bench/page_cache.py                          # SQLite scratch file, 100 rounds
    .venv/bin/python bench/page_cache.py --db /tmp/cache.sqlite3 --keep   # build once, reuse
    .venv/bin/python bench/page_cache.py --redis redis://127.0.0.1:6379/6 # the production backend

The database holds the tree of Samut Prakan and the demo (its charter registered). Pages are taken
round-robin through Django's test Client (whole middleware stack); "rendered" requests run with
PUBLIC_CACHE_ENABLED off, "cached" ones with it on after one warming request. CPU is
time.process_time() per request, median over the rounds; the ratio cached/rendered is the figure.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils.translation import override

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from load_tree import scratch_sqlite  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="SQLite file (default: a scratch file)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--redis", help="a Redis URL for the page cache instead of local memory")
    args = parser.parse_args()

    url, exists, cleanup = scratch_sqlite(args.db, args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    django.setup()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if args.redis:
        override_settings(CACHES={**settings.CACHES, "public": {
            "BACKEND": "cms.redis_cache.SharedClientRedisCache", "LOCATION": args.redis,
            "KEY_PREFIX": "welfare-bench"}}).enable()
    try:
        if not exists:
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            call_command("load_network_tree", provinces=["11"], verbosity=0)
            call_command("load_demo", force=True, verbosity=0)
            print(f"built the database in {time.perf_counter() - started:.1f} s")
        caches["public"].clear()
        urls = page_urls()
        client = Client()
        for url in urls.values():
            settings.PUBLIC_CACHE_ENABLED = True
            assert client.get(url).status_code == 200, url  # warm: stored, and the process caches filled

        samples = {(name, mode): [] for name in urls for mode in ("rendered", "cached")}
        for _ in range(args.rounds):
            for name, url in urls.items():
                for mode in ("rendered", "cached"):
                    settings.PUBLIC_CACHE_ENABLED = mode == "cached"
                    started = time.process_time()
                    response = client.get(url)
                    samples[name, mode].append((time.process_time() - started) * 1000)
                    assert response.status_code == 200, url
                    assert (response.get("X-Public-Cache") == "hit") == (mode == "cached"), (url, mode)

        print(f"{'page':<14}{'rendered ms':>12}{'cached ms':>11}{'ratio':>8}{'queries':>9}  (cached)")
        for name, url in urls.items():
            settings.PUBLIC_CACHE_ENABLED = True
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            rendered = statistics.median(samples[name, "rendered"])
            cached = statistics.median(samples[name, "cached"])
            print(f"{name:<14}{rendered:>12.2f}{cached:>11.2f}{cached / rendered:>8.3f}{len(captured):>9}")
        print(f"backend: {type(caches['public']).__name__}, {args.rounds} rounds, CPU medians")
    finally:
        caches["public"].clear()
        cleanup()


def page_urls():
    # App loading: models can be imported only once django.setup() has run on the scratch database.
    from networks.models import NetworkPage
    from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
    from registry.models import RegistryEntry

    entry = RegistryEntry.objects.get(network__province_code="11")
    network = NetworkPage.objects.get(pk=entry.network_id)
    with override("th"):
        return {
            "home": "/",
            "home_en": "/en/",
            "network": network.get_url(),
            "charter": CharterPage.objects.get(pk=entry.charter_id).get_url(),
            "minutes": MeetingMinutesPage.objects.filter(network=network, live=True).first().get_url(),
            "plan": ActionPlanPage.objects.filter(network=network, live=True).first().get_url(),
            "registry": "/registry/",
            "registry_csv": "/registry/registry.csv",
            "api_networks": "/api/v1/networks/?province=11&limit=100",
            "api_registry": f"/api/v1/registry/{entry.registration_number}/",
        }


if __name__ == "__main__":
    main()
