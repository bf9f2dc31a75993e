#!/usr/bin/env python
"""Benchmark: what one decision costs in the admin, at a small and at a national corpus, side by side.

    .venv/bin/python bench/decisions.py                    # K=15 decisions of each kind per corpus
    .venv/bin/python bench/decisions.py --decisions 30 --small-documents 1000
    .venv/bin/python bench/decisions.py --large-template welfare_scale   # the default

Goal (issue 8): approving (and the publishing it may cause) costs a number of queries that does not
grow with the rows of the document, and p95 ≤ 300 ms at 50,000 documents, independent of corpus size.

Each decision is a POST to Wagtail's workflow action endpoint (`wagtailadmin_pages:workflow_action`)
by a logged-in approver through Django's test Client: the whole middleware and view stack of a real
request, without gunicorn's HTTP parsing. The kinds measured, each on its own fresh document:

- committee review of a charter of 10 chapters × 30 clauses (approve, no publishing);
- certification of minutes with 50 present, 50 absent, 50 other attendees and 51 agenda items
  (approve and publish);
- approval of an action plan with 40 activities (approve and publish);
- registration of a charter of 10 × 30 clauses by the registrar (register and publish).

Tasks run as in production with a broker: follow-up work (e-mails, PDFs, search and reference index) is
written to the outbox in the decision's transaction; handing it to Redis after commit is left out (the
relay is stubbed, no worker runs).

The large corpus is a copy of the PostgreSQL database `welfare_scale` left by
`bench/scale_corpus.py --keep` (CREATE DATABASE … TEMPLATE, so the original is never written); the small
one is built in the same run (migrate, `load_scale_corpus --documents N`). Both scratch databases are
dropped afterwards. The script prints p50/p95 per kind and corpus, queries per decision, and p95 as a
ratio of the 300 ms goal (≤ 1.00 meets it).
"""

import argparse
import datetime
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
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

GOAL_MS = 300
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
KINDS = [
    ("committee", "charter: committee review (no publish)"),
    ("minutes", "minutes: certify + publish (50 rows each)"),
    ("plan", "action plan: approve + publish (40 activities)"),
    ("registration", "charter: register + publish (300 clauses)"),
]


def _admin(server):
    parts = urlsplit(server)
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(sql):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else None

    return parts, run


def copy_database(server, template, name):
    """CREATE DATABASE name TEMPLATE template; None when the template is missing. PostgreSQL refuses a
    template that has sessions open (a loader still writing, another benchmark): retried for five minutes."""
    parts, run = _admin(server)
    if not run(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        return None
    run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for _attempt in range(150):
        try:
            run(f"CREATE DATABASE {name} TEMPLATE {template}")
            break
        except Exception as error:  # the template is in use
            print(f"  waiting for {template} to be free: {str(error).strip()[:100]}")
            time.sleep(2)
    else:
        sys.exit(f"{template} stayed in use; try again later.")
    return urlunsplit(parts._replace(path=f"/{name}"))


def empty_database(server, name):
    parts, run = _admin(server)
    run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    run(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(server, name):
    _parts, run = _admin(server)
    run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- In the child process: one database, Django set up for it ------------------------------------


def child(args):
    os.environ["DATABASE_URL"] = args.child_url
    # Test settings: DEBUG off, e-mail in memory, page cache in memory; no secrets needed.
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    django.setup()
    # App loading: these import models, which only django.setup() on the child's database makes ready.
    import outbox.api
    from cms.celery import app

    if args.build_documents:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_scale_corpus", documents=args.build_documents, force=True, verbosity=0)
    # Production: tasks go to the outbox, a broker takes them after commit (stubbed here).
    app.conf.task_always_eager = False
    outbox.api._relay_one = lambda message_id: None

    result = measure(args.decisions)
    print("RESULT " + json.dumps(result))


def _users():
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from people.models import RegistrarAssignment

    User = get_user_model()
    users = {}
    for name in ("bench_member", "bench_chair", "bench_registrar"):
        users[name], _created = User.objects.get_or_create(
            username=name, defaults={"email": f"{name}@example.org", "is_active": True}
        )
    RegistrarAssignment.objects.get_or_create(user=users["bench_registrar"], defaults={"office_name": "bench"})
    return users


def _networks(count):
    """Tambon networks of the corpus with no registration yet (a first registration each)."""
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from networks.models import NetworkPage
    from registry.models import RegistryEntry

    registered = RegistryEntry.objects.values("network_id")
    return list(
        NetworkPage.objects.filter(level="tambon").exclude(pk__in=registered).order_by("path")[:count]
    )


def _charter(network, user, label):
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from pages.models import CharterPage

    chapters = [
        ("chapter", {"title": f"หมวด {c + 1}", "clauses": [f"ข้อ {c + 1}.{k + 1} กองทุน{label}ให้สวัสดิการแก่สมาชิก"
                                                           for k in range(30)]})
        for c in range(10)
    ]
    charter = network.add_child(
        instance=CharterPage(title=f"ข้อบังคับ {label}", version_label="พ.ศ. ๒๕๖๙", chapters=chapters, live=False)
    )
    return _submit(charter, user)


def _minutes(network, user, number):
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from pages.models import AbsentMember, AgendaItem, MeetingMinutesPage, OtherAttendee, PresentMember

    minutes = network.add_child(
        instance=MeetingMinutesPage(
            title=f"รายงานการประชุม {number}", body_name="คณะกรรมการ", meeting_number=number,
            meeting_date=datetime.date(2026, 6, 1), place="ศาลาประชาคม", committee_size=50, live=False,
        )
    )
    rows = range(50)
    PresentMember.objects.bulk_create([PresentMember(page=minutes, name=f"กรรมการ {i}", sort_order=i) for i in rows])
    AbsentMember.objects.bulk_create(
        [AbsentMember(page=minutes, name=f"ผู้ลา {i}", reason="ติดภารกิจ", sort_order=i) for i in rows]
    )
    OtherAttendee.objects.bulk_create([OtherAttendee(page=minutes, name=f"ผู้เข้าร่วม {i}", sort_order=i) for i in rows])
    AgendaItem.objects.bulk_create(
        [AgendaItem(page=minutes, title=f"วาระที่ {i + 1}", resolution="รับทราบ", sort_order=i) for i in range(51)]
    )
    return _submit(MeetingMinutesPage.objects.get(pk=minutes.pk), user)


def _plan(network, user, year):
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from pages.models import ActionPlanActivity, ActionPlanPage

    plan = network.add_child(instance=ActionPlanPage(title=f"แผนปฏิบัติการ {year}", fiscal_year=year, live=False))
    ActionPlanActivity.objects.bulk_create(
        [
            ActionPlanActivity(
                page=plan, title=f"กิจกรรม {i + 1}", start_date=datetime.date(2026, 1, 1),
                end_date=datetime.date(2026, 12, 31), budget=1000 + i, responsible_person="เลขานุการ", sort_order=i,
            )
            for i in range(40)
        ]
    )
    return _submit(ActionPlanPage.objects.get(pk=plan.pk), user)


def _submit(page, user):
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def _task_state(page):
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from wagtail.models import WorkflowState

    return WorkflowState.objects.for_instance(page).active().get().current_task_state


def _advance_to_registration(charter, user):
    """Setup, not measured: the steps between committee review and registration, approved directly."""
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from workflows.models import RegistrationTask

    while True:
        state = _task_state(charter)
        if isinstance(state.task.specific, RegistrationTask):
            return
        state.approve(user=user)


def measure(decisions):
    # App loading: models can be imported only once child() has run django.setup() on its database.
    from wagtail.models import Page

    from people.models import CommitteeMembership

    users = _users()
    count = decisions + 1  # the first of each kind warms caches and is not counted
    networks = _networks(count)
    if len(networks) < count:
        sys.exit(f"Only {len(networks)} unregistered tambon networks in this corpus.")
    for network in networks:
        for name, role in (("bench_member", "member"), ("bench_chair", "chair")):
            CommitteeMembership.objects.get_or_create(user=users[name], network=network, defaults={"role": role})

    member = users["bench_member"]
    documents = {
        "committee": [_charter(n, member, f"{n.pk}") for n in networks],
        "minutes": [_minutes(n, member, 90 + i) for i, n in enumerate(networks)],
        "plan": [_plan(n, member, 2600 + i % 90) for i, n in enumerate(networks)],
    }
    client = Client()
    results = {}

    def decide(kind, user, pages, data):
        client.force_login(user)
        times, queries = [], []
        for i, page in enumerate(pages):
            url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", _task_state(page).pk])
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.post(url, data)
                elapsed = time.perf_counter() - started
            if response.status_code != 302:
                sys.exit(f"{kind}: HTTP {response.status_code}")
            if i:
                times.append(elapsed * 1000)
                queries.append(len(ctx.captured_queries))
        results[kind] = {"ms": times, "queries": queries}

    decide("committee", users["bench_chair"], documents["committee"], {"comment": ""})
    decide("minutes", users["bench_chair"], documents["minutes"], {"comment": ""})
    decide("plan", users["bench_chair"], documents["plan"], {"comment": ""})
    for charter in documents["committee"]:
        _advance_to_registration(charter, users["bench_registrar"])
    decide("registration", users["bench_registrar"], documents["committee"], {"conditions": ""})

    for kind, pages in (("minutes", documents["minutes"]), ("plan", documents["plan"]),
                        ("registration", documents["committee"])):
        page = type(pages[-1]).objects.get(pk=pages[-1].pk)
        if not page.live:
            sys.exit(f"{kind}: the decision did not publish the document")

    results["_documents"] = Page.objects.filter(depth__gt=2).exclude(
        content_type__model="networkpage").count()
    return results


# --- The parent: build, measure, compare ---------------------------------------------------------


def run_child(url, decisions, build_documents=0):
    command = [sys.executable, __file__, "--child-url", url, "--decisions", str(decisions)]
    if build_documents:
        command += ["--build-documents", str(build_documents)]
    output = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True)
    if output.returncode:
        sys.exit(f"The measurement failed:\n{output.stdout[-3000:]}\n{output.stderr[-3000:]}")
    for line in output.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.exit(f"No result from the child:\n{output.stdout[-2000:]}\n{output.stderr[-2000:]}")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=15, help="Decisions of each kind per corpus (default 15).")
    parser.add_argument("--small-documents", type=int, default=300,
                        help="Documents of the small corpus built in this run (default 300).")
    parser.add_argument("--large-template", default="welfare_scale",
                        help="PostgreSQL database copied as the large corpus (default welfare_scale).")
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    parser.add_argument("--build-documents", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_url:
        child(args)
        return
    if args.decisions < 2:
        sys.exit("--decisions must be 2 or more.")

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = DEFAULT_SERVER
    corpora = {}
    try:
        print(f"small corpus: building {args.small_documents} documents …", flush=True)
        small_url = empty_database(server, "welfare_decisions_small")
        corpora["small"] = run_child(small_url, args.decisions, build_documents=args.small_documents)
        print(f"large corpus: copying {args.large_template} …", flush=True)
        large_url = copy_database(server, args.large_template, "welfare_decisions_large")
        if large_url is None:
            print(f"  {args.large_template} does not exist (bench/scale_corpus.py --keep makes it): skipped")
        else:
            corpora["large"] = run_child(large_url, args.decisions)
    finally:
        drop_database(server, "welfare_decisions_small")
        drop_database(server, "welfare_decisions_large")

    names = list(corpora)
    header = "".join(f" | {name} ({corpora[name]['_documents']:,} docs): p50 / p95 ms, queries" for name in names)
    print(f"\n{args.decisions} decisions of each kind, PostgreSQL, Django test Client, outbox mode")
    print(f"{'decision':46}{header} | p95 / {GOAL_MS} ms")
    worst = 0.0
    for kind, label in KINDS:
        cells, ratios = [], []
        for name in names:
            result = corpora[name][kind]
            p50, p95 = statistics.median(result["ms"]), percentile(result["ms"], 0.95)
            spread = sorted(set(result["queries"]))
            q = str(spread[0]) if len(spread) == 1 else f"{spread[0]}–{spread[-1]}"
            cells.append(f"{p50:7.0f} / {p95:5.0f}, {q:>7}")
            ratios.append(p95 / GOAL_MS)
        worst = max(worst, *ratios)
        print(f"{label:46}" + "".join(f" | {c:>46}" for c in cells) + " | "
              + " ".join(f"{r:.2f}" for r in ratios))
    verdict = "meets" if worst <= 1 else "misses"
    print(f"worst p95 ratio {worst:.2f}: {verdict} the goal of {GOAL_MS} ms")


if __name__ == "__main__":
    main()
