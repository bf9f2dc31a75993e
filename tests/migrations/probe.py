"""Run inside one code tree (the old layout's or the new one's) against the scratch database; writes
JSON to the file OUT. test_migrate_forward.py starts it as a subprocess with the tree as working
directory, so the same file serves both trees and must use only what both have (Django, Wagtail, raw
SQL), except in `check_new_layout`.

    python probe.py load-old OUT                 migrate, load the demo, then the fingerprint
    python probe.py migrate OUT [APP MIGRATION]  migrate (to that migration), then the fingerprint
    python probe.py migrate-and-back OUT APP MIGRATION BACK_APP
                                                 migrate to that migration, the fingerprint, then
                                                 `migrate BACK_APP zero`
    python probe.py check-migrated OUT           whether a migration is unapplied, then the fingerprint
    python probe.py check-new OUT                migrate, then what the new layout must answer
    python probe.py migrate-and-back-then-check-new OUT APP MIGRATION BACK_APP OUT_NEW
                                                 migrate-and-back into OUT, then "paused" on stdout;
                                                 on a line from stdin, check-new into OUT_NEW

Several steps share a process where that proves the same thing: each start of Django costs seconds.
"""

import atexit
import gc
import hashlib
import io
import json
import os
import sys
from urllib.parse import urlsplit

# The tree under test, not this folder, is what `import cms` must find.
sys.path[0] = os.getcwd()

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from wagtail.models import Page  # noqa: E402

# Raw SQL, so that the fingerprint reads the same whatever the models of the tree say.
PAGES = """
    SELECT p.id, p.url_path, p.content_type_id, ct.app_label, ct.model
    FROM wagtailcore_page p JOIN django_content_type ct ON ct.id = p.content_type_id
    ORDER BY p.id
"""
CONTENT_TYPES = "SELECT id, app_label, model FROM django_content_type ORDER BY id"
MIGRATIONS = "SELECT app, name FROM django_migrations ORDER BY app, name"


def stable(value):
    """A value whose repr is the same in every process (a memoryview's repr holds its address)."""
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def fingerprint():
    """Every table's row count and a digest of its rows; the content types, pages and migrations."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(stable(value) for value in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            tables[table] = {"rows": len(rows), "sha256": digest}
        listed = {}
        for name, query in (("pages", PAGES), ("content_types", CONTENT_TYPES), ("migrations", MIGRATIONS)):
            cursor.execute(query)
            listed[name] = [list(row) for row in cursor.fetchall()]
    return {"tables": tables, **listed}


def load_old_layout():
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", force=True, verbosity=0, stdout=io.StringIO())
    return fingerprint()


def migrate(*target):
    call_command("migrate", *target, verbosity=0, interactive=False)
    return fingerprint()


def migrate_and_back(app, migration, back_app):
    """The fingerprint at APP MIGRATION; then the way back, as `manage.py migrate BACK_APP zero` does it
    (the old tree's next process reads what it left)."""
    moved = migrate(app, migration)
    call_command("migrate", back_app, "zero", verbosity=0, interactive=False)
    return moved


def check_migrated():
    """`migrate --check`: SystemExit(1) when a migration of this tree is unapplied."""
    try:
        call_command("migrate", check_unapplied=True, verbosity=0)
        unapplied = False
    except SystemExit as exit:
        unapplied = bool(exit.code)
    return {**fingerprint(), "unapplied": unapplied}


def check_new_layout():
    """Migrate all the way, then what the new layout must answer."""
    # The new layout's names (`networks` does not exist in the old tree): this runs in the new tree only.
    from django.test import Client

    from networks.models import HomePage, NetworkPage
    from people.models import CommitteeMembership
    from registry.models import RegistryEntry

    call_command("migrate", verbosity=0, interactive=False)

    unresolved = []
    for page in Page.objects.specific().order_by("id"):
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        if model is None or type(page) is not model:
            unresolved.append([page.id, page.url_path, type(page).__name__, repr(model)])

    entries = list(RegistryEntry.objects.select_related("network", "charter").order_by("pk"))
    client = Client()
    status = {}
    home = HomePage.objects.get()
    pages = {"home": home}
    if entries:
        pages["network"] = entries[0].network
        pages["registered charter"] = entries[0].charter
    for name, page in pages.items():
        if page is None:
            status[name] = None
            continue
        url = urlsplit(page.get_url())
        response = client.get(url.path, HTTP_HOST=url.hostname or "localhost")
        status[name] = [page.url_path, response.status_code]

    # `makemigrations --check --dry-run`: the models and the migrations agree (SystemExit(1) when not).
    makemigrations = io.StringIO()
    try:
        call_command("makemigrations", check_changes=True, dry_run=True, stdout=makemigrations)
    except SystemExit as exit:
        makemigrations.write(f"exit {exit.code}")

    memberships = CommitteeMembership.objects.select_related("network")
    return {
        **fingerprint(),
        "unresolved_pages": unresolved,
        "home_class": f"{type(home).__module__}.{type(home).__name__}",
        "registry_networks": [
            [entry.pk, entry.network_id, type(entry.network) is NetworkPage] for entry in entries
        ],
        "membership_networks_are_network_pages": all(
            type(membership.network) is NetworkPage for membership in memberships
        ),
        "status": status,
        "makemigrations": makemigrations.getvalue(),
    }


def write(out, result):
    with open(out, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)


def migrate_and_back_then_check_new(out, app, migration, back_app, out_new):
    """migrate-and-back, then, once the test has had the old tree read the database it left (its line on
    stdin), check-new: the new tree's two steps in one start of Django."""
    write(out, migrate_and_back(app, migration, back_app))
    connections.close_all()  # nothing of this process stands between the old tree and the database
    print("paused", flush=True)
    if not sys.stdin.readline():
        sys.exit("no go-ahead: the test ended")
    # As a new process would start: nothing remembered of the database as the way there and back left
    # it (the migrations' post_migrate clears the content types again; the site's root paths are cached).
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
    write(out_new, check_new_layout())


COMMANDS = {
    "load-old": load_old_layout, "migrate": migrate, "migrate-and-back": migrate_and_back,
    "check-migrated": check_migrated,
    "check-new": check_new_layout,
}

if __name__ == "__main__":
    # The test waits for each probe to exit, and Python's last cycle collection at exit costs about a
    # second for a process with Django, Wagtail and the demo loaded (as in tests/conftest.py).
    atexit.register(gc.freeze)
    command, out, *arguments = sys.argv[1:]
    if command == "migrate-and-back-then-check-new":
        migrate_and_back_then_check_new(out, *arguments)
    else:
        write(out, COMMANDS[command](*arguments))
