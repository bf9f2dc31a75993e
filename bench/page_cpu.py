#!/usr/bin/env python
"""Benchmark: worker CPU and queries per request of the uncached public pages, against a stock Wagtail
page served by the same process in the same run.

    .venv/bin/python bench/page_cpu.py                       # SQLite scratch file in /tmp, 200 rounds
    .venv/bin/python bench/page_cpu.py --db /tmp/pages.sqlite3 --keep   # build once, reuse afterwards
    .venv/bin/python bench/page_cpu.py --profile charter     # cProfile of one page, top functions
    .venv/bin/python bench/page_cpu.py --save-html /tmp/before          # the rendered pages, to compare
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/page_cpu.py
                                                             # PostgreSQL: database `welfare_pagebench`
                                                             # created (and dropped unless --keep)

The database holds the tree of Samut Prakan (`load_network_tree --province 11`) and the demo
(`load_demo --force`), whose Samut Prakan charter travels to registration. Pages are requested
anonymously through Django's test Client (whole middleware stack, URL resolving, Wagtail's serve view),
round-robin so that a busy machine slows every page alike; CPU is time.process_time() per request,
median over the rounds. Queries are counted in a separate pass (counting them costs CPU).

The limit ("anchor"): Wagtail's core `Page`, published under the home page, served with Wagtail's own
`wagtailcore/page.html` and routed by Wagtail's own Page.route — a stock Wagtail page. A second anchor serves the same page in this site's
layout (`base.html`: header, navigation, language switch, footer), the floor for any page of this site.
Test settings (DEBUG off, like production; no secrets or broker needed).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from load_tree import scratch_database  # noqa: E402

BENCH_DB_NAME = os.environ.get("PAGEBENCH_DB_NAME", "welfare_pagebench")
STOCK_SLUG = "bench-stock-page"
LAYOUT_SLUG = "bench-layout-page"


def build():
    """Samut Prakan's tree and the demo, then the two anchor pages."""
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_network_tree", provinces=["11"], verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"built the database in {time.perf_counter() - started:.1f} s")


def anchors():
    """The stock page and the layout page under the home page (created once)."""
    # App loading: models can be imported only once django.setup() has run on the scratch database.
    from wagtail.models import Page

    from networks.models import HomePage

    home = HomePage.objects.get()
    result = {}
    for slug, title in ((STOCK_SLUG, "Stock Wagtail page"), (LAYOUT_SLUG, "Stock page in the site layout")):
        page = Page.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(instance=Page(title=title, slug=slug, live=True))
        result[slug] = page
    return result


def layout_template_dir():
    """`wagtailcore/page.html` is Wagtail's stock template; the layout anchor uses a template that only
    extends this site's base.html. Served from a scratch template directory."""
    directory = Path(tempfile.mkdtemp(prefix="welfare_pagebench_templates_"))
    (directory / "bench").mkdir()
    (directory / "bench" / "layout_page.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock %}'
    )
    return directory


def page_urls():
    # App loading: models can be imported only once django.setup() has run on the scratch database.
    from networks.models import HomePage, NetworkLevel, NetworkPage
    from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
    from registry.models import RegistryEntry

    entry = RegistryEntry.objects.select_related("charter", "network").get(network__province_code="11")
    charter = CharterPage.objects.get(pk=entry.charter_id)
    network = NetworkPage.objects.get(pk=entry.network_id)
    with override("th"):
        urls = {
            "stock": f"/{STOCK_SLUG}/",
            "layout": f"/{LAYOUT_SLUG}/",
            "charter": charter.get_url(),
            "charter_en": "/en" + charter.get_url(),
            "charter_print": charter.get_url() + "?print=1",
            "home": HomePage.objects.get().get_url(),
            "network": network.get_url(),
            "district": NetworkPage.objects.child_of(network).filter(level=NetworkLevel.DISTRICT).first().get_url(),
            "minutes": MeetingMinutesPage.objects.filter(network=network, live=True).first().get_url(),
            "plan": ActionPlanPage.objects.filter(network=network, live=True).first().get_url(),
        }
    return urls


def stock_anchors():
    """The stock anchor is routed by Wagtail's own Page.route, whatever the home page's routing; the
    layout anchor renders bench/layout_page.html."""
    # App loading: models can be imported only once django.setup() has run on the scratch database.
    from wagtail.models import Page

    from networks.models import HomePage

    original_template = Page.get_template

    def get_template(self, request, *args, **kwargs):
        if self.slug == LAYOUT_SLUG:
            return "bench/layout_page.html"
        return original_template(self, request, *args, **kwargs)

    Page.get_template = get_template
    original_route = HomePage.route

    def route(self, request, path_components):
        if path_components[:1] == [STOCK_SLUG]:
            return Page.route(self, request, path_components)
        return original_route(self, request, path_components)

    HomePage.route = route


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def measure(client, urls, rounds):
    """{name: [CPU ms per request]}, pages taken round-robin."""
    samples = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            started = time.process_time()
            response = client.get(url)
            samples[name].append((time.process_time() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--db", help="SQLite file to build (or reuse with --keep); default: a scratch file")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page (e.g. charter) and print the top")
    parser.add_argument("--save-html", metavar="DIR", help="write each page's HTML to DIR/<page>.html")
    args = parser.parse_args()

    url, exists, cleanup, _engine = scratch_database(BENCH_DB_NAME, args.db, args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    try:
        settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], layout_template_dir()]
        # The uncached path: without the public page cache, every request renders (public/cache.py).
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("public.cache.")]
        django.setup()
        if not exists:
            build()
        anchors()
        stock_anchors()
        urls = page_urls()
        client = Client()
        for url in urls.values():  # warm the per-process caches (templates, site root paths, content types)
            client.get(url)
            client.get(url)

        if args.save_html:
            directory = Path(args.save_html)
            directory.mkdir(parents=True, exist_ok=True)
            for name, page_url in urls.items():
                (directory / f"{name}.html").write_bytes(client.get(page_url).content)
            print(f"HTML written to {directory}")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                client.get(urls[args.profile])
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
            return

        queries = {name: count_queries(client, page_url) for name, page_url in urls.items()}
        samples = measure(client, urls, args.rounds)
        stock = statistics.median(samples["stock"])
        layout = statistics.median(samples["layout"])
        print(f"{connection.vendor}, {args.rounds} requests per page, CPU ms per request (median, p90)")
        print(f"{'page':<12}{'median':>8}{'p90':>8}{'× stock':>9}{'× layout':>10}{'queries':>9}  address")
        for name, values in samples.items():
            median = statistics.median(values)
            p90 = statistics.quantiles(values, n=10)[-1]
            print(f"{name:<12}{median:8.2f}{p90:8.2f}{median / stock:9.2f}{median / layout:10.2f}"
                  f"{queries[name]:9d}  {urls[name]}")
        connection.close()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
