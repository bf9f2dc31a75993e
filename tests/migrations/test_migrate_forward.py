"""A database made by the old layout migrates forward to the new one and loses nothing.

Commit OLD_LAYOUT is the last one where HomePage and NetworkPage lived in the `pages` app. Its code
(taken with `git archive`, no worktree) migrates a scratch database and loads the demo, which walks the
demo documents along their roads (a registered charter, certified minutes, approved plans). Then this
tree migrates the same database: the move to `networks` must relabel the two content types in place,
keep every row of every table. The way back (`migrate networks zero`) must give the old code its database
again. The way forward again, all the way, must leave a site that serves its pages.

Always on a SQLite file; also on PostgreSQL when the run's DATABASE_URL is PostgreSQL (CI), in a scratch
database of its own on that server.

The old commit must be in the repository: CI clones need the history (a shallow clone fails here, on
purpose, rather than skip). `.ci/run` runs in the checkout it is given and does not clone or fetch.
"""

import contextlib
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from tests import database_template

OLD_LAYOUT = "76b2a5b"
ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("probe.py")
MOVED = ("homepage", "networkpage")
# The migrations of the move; everything else in django_migrations stays as it was.
MOVE_MIGRATIONS = [
    ["networks", "0001_initial"], ["pages", "0006_networks_moved_to_networks_app"],
    ["people", "0004_network_moved_to_networks_app"], ["registry", "0004_network_moved_to_networks_app"],
]
MOVE_TARGET = MOVE_MIGRATIONS[1]
# Rows the demo makes in the old layout, which the move must keep (besides every other table's).
KEPT_ROWS = (
    "pages_homepage", "pages_networkpage", "pages_charterpage", "pages_meetingminutespage",
    "pages_actionplanpage", "people_committeemembership", "people_localofficeassignment",
    "people_networkcommitteegroup", "registry_registryentry", "wagtailcore_workflowstate",
    "wagtailcore_taskstate", "wagtailcore_revision", "workflows_stepdecision", "workflows_workflowbinding",
)
# Settings the subprocesses must not inherit from CI: the old and the new code run in-process tasks,
# caches in memory and no mail.
NOT_INHERITED = (
    "CELERY_BROKER_URL", "CACHE_URL", "REDIS_CACHE_URL", "FRONTEND_CACHE_PURGE_URL", "CLOUDFLARE_ZONEID",
    "CLOUDFLARE_BEARER_TOKEN", "PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
)


def run_database_is_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


BACKENDS = ["sqlite"] + (["postgresql"] if run_database_is_postgresql() else [])


@pytest.fixture(scope="module")
def old_tree(tmp_path_factory):
    """The code of OLD_LAYOUT, unpacked in a temporary folder."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{OLD_LAYOUT}^{{commit}}"], capture_output=True, text=True
    )
    if found.returncode:
        pytest.fail(
            f"Commit {OLD_LAYOUT} (the last of the old layout) is not in the repository at {ROOT}: this test "
            f"needs the history. In a shallow clone run `git fetch --unshallow`.\n{found.stderr}"
        )
    tree = tmp_path_factory.mktemp("old_layout")
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", OLD_LAYOUT], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
    archive.stdout.close()
    assert archive.wait() == 0, f"git archive {OLD_LAYOUT} failed"
    return tree


@pytest.fixture(params=BACKENDS)
def scratch_database(request, tmp_path):
    """The URL of an empty database: a SQLite file, or a PostgreSQL database on the run's server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"welfare_migrate_{os.getpid()}"
    connect = {
        "dbname": "postgres", "host": server["HOST"] or None, "port": server["PORT"] or None,
        "user": server["USER"] or None, "password": server["PASSWORD"] or None, "autocommit": True,
    }
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**connect) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**connect) as connection:
            connection.execute(drop)


class Trees:
    """Runs commands in the old or the new tree against one scratch database, and times them."""

    def __init__(self, old_tree, database_url, tmp_path):
        self.trees = {"old": old_tree, "new": ROOT}
        self.tmp_path = tmp_path
        self.env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
        self.env.update(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            DATABASE_URL=database_url,
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        self.timings = []

    @staticmethod
    def children_cpu():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def run(self, tree, *args, step=None):
        started, cpu = time.monotonic(), self.children_cpu()
        result = subprocess.run(
            [sys.executable, *args], cwd=self.trees[tree], env=self.env, capture_output=True, text=True,
            timeout=600,
        )
        step = f"{tree}: {step or ' '.join(args)}"
        self.timings.append((step, round(time.monotonic() - started, 1), round(self.children_cpu() - cpu, 1)))
        if result.returncode:
            pytest.fail(
                f"`{step}` exited {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
            )
        return result

    def probe(self, tree, command, *arguments):
        out = self.tmp_path / f"{tree}-{command}-{len(self.timings)}.json"
        self.run(tree, str(PROBE), command, str(out), *arguments, step=" ".join(("probe.py", command, *arguments)))
        return json.loads(out.read_text())

    @contextlib.contextmanager
    def paused_probe(self, tree, command, *arguments):
        """A probe command that answers in two parts and waits between them (probe.py's
        migrate-and-back-then-check-new): yields (the first answer, a function that lets it go on and
        returns the second). The process is stopped if the block ends without letting it finish."""
        first, second = (self.tmp_path / f"{tree}-{command}-{part}.json" for part in ("first", "second"))
        step = f"{tree}: {' '.join(('probe.py', command, *arguments))}"
        started, cpu = time.monotonic(), self.children_cpu()
        with open(self.tmp_path / f"{tree}-{command}.stderr", "w+") as stderr, subprocess.Popen(
            [sys.executable, str(PROBE), command, str(first), *arguments, str(second)], cwd=self.trees[tree],
            env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
        ) as process:

            def failed(where):
                process.kill()
                process.wait()
                stderr.seek(0)
                pytest.fail(f"`{step}` exited {process.returncode} {where}:\n{stderr.read()[-6000:]}")

            def go_on():
                process.stdin.write("go\n")
                process.stdin.close()
                process.stdout.read()  # to its end, so that nothing it prints can make it wait
                if process.wait(timeout=600):
                    failed("after its pause")
                self.timings.append(
                    (step, round(time.monotonic() - started, 1), round(self.children_cpu() - cpu, 1))
                )
                return json.loads(second.read_text())

            try:
                for line in process.stdout:
                    if line.strip() == "paused":  # the first answer is written
                        break
                else:
                    failed("before its pause")
                yield json.loads(first.read_text()), go_on
            finally:
                if process.returncode is None:
                    process.kill()


def old_demo_database(trees, database_url):
    """The old code migrates the scratch database and loads the demo; returns its fingerprint.

    On SQLite the result is kept (the database file and its fingerprint, next to the migrated template
    of tests/database_template.py) and copied on later runs: the old code, the packages it ran under and
    the probe that loaded it are in the name, so it is the database that old code made. PostgreSQL runs
    (CI) always make it.
    """
    if not database_url.startswith("sqlite:///"):
        return trees.probe("old", "load-old")
    made_by = hashlib.sha256(database_template.packages_fingerprint().encode() + PROBE.read_bytes())
    kept = database_template.CACHE_DIR / f"old-layout-{OLD_LAYOUT}-{made_by.hexdigest()[:16]}"
    database, fingerprint = kept.with_suffix(".sqlite3"), kept.with_suffix(".json")
    if fingerprint.exists():
        shutil.copyfile(database, database_url.removeprefix("sqlite:///"))
        return json.loads(fingerprint.read_text())
    before = trees.probe("old", "load-old")
    database_template.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # Each file whole or not at all (a concurrent run may be reading), the fingerprint last: a kept
    # database always has its fingerprint.
    for path, write in ((database, lambda tmp: shutil.copyfile(database_url.removeprefix("sqlite:///"), tmp)),
                        (fingerprint, lambda tmp: tmp.write_text(json.dumps(before)))):
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        write(tmp)
        tmp.replace(path)
    return before


def relabelled(content_types):
    """The content types as the move must leave them: the moved two in `networks`, with their ids."""
    return [
        [id_, "networks" if app_label == "pages" and model in MOVED else app_label, model]
        for id_, app_label, model in content_types
    ]


def pages_per_type(fingerprint):
    return dict(Counter(f"{app_label}.{model}" for _id, _path, _ct, app_label, model in fingerprint["pages"]))


def test_old_database_migrates_forward_and_back(old_tree, scratch_database, tmp_path):
    trees = Trees(old_tree, scratch_database, tmp_path)

    before = old_demo_database(trees, scratch_database)
    for table in KEPT_ROWS:
        assert before["tables"][table]["rows"], f"the old demo made no rows in {table}: nothing would be proved"
    moved_ids = {model: id_ for id_, app_label, model in before["content_types"] if app_label == "pages"}
    assert set(MOVED) <= set(moved_ids), before["content_types"]

    # The move alone (pages 0006 needs the other three), so that later migrations cannot blur the proof;
    # then, in the same process (a start of Django costs seconds), the way back: `migrate networks zero`.
    # That process then waits while the old tree reads the database, and goes on to check-new.
    with trees.paused_probe(
        "new", "migrate-and-back-then-check-new", *MOVE_TARGET, "networks"
    ) as (moved, forward_again):
        # The pages: the same ids, paths and content type ids.
        assert [page[:3] for page in moved["pages"]] == [page[:3] for page in before["pages"]]
        assert pages_per_type(moved) == {
            key.replace("pages.homepage", "networks.homepage").replace("pages.networkpage", "networks.networkpage"):
            count for key, count in pages_per_type(before).items()
        }

        # The content types: the moved two relabelled with their ids, none left behind, nothing else changed.
        assert moved["content_types"] == relabelled(before["content_types"])
        for model in MOVED:
            assert [moved_ids[model], "networks", model] in moved["content_types"]
            assert not [ct for ct in moved["content_types"] if ct[1:] == ["pages", model]]

        # Every table: the same tables, and the same rows in each, but for the migration records and the
        # relabelled content types.
        assert sorted(moved["tables"]) == sorted(before["tables"]), "the move must not add or drop a table"
        changed = {table for table in before["tables"] if before["tables"][table] != moved["tables"][table]}
        assert changed == {"django_migrations", "django_content_type"}, f"rows changed in {sorted(changed)}"
        assert sorted(moved["migrations"]) == sorted(before["migrations"] + MOVE_MIGRATIONS)

        # The way back: unapplying the move gives the old code exactly the database it made.
        rolled_back = trees.probe("old", "check-migrated")
        assert not rolled_back.pop("unapplied"), "the old code finds a migration of its own unapplied"
        assert rolled_back == before

        # And forward again, all the way this time, to what the new layout must answer.
        after = forward_again()

    assert [page[:3] for page in after["pages"]] == [page[:3] for page in before["pages"]]
    assert not [ct for ct in moved["content_types"] if ct not in after["content_types"]]
    assert after["unresolved_pages"] == [], "pages whose specific model does not load"
    assert after["home_class"] == "networks.models.HomePage"

    # The registry and the committees point at network pages.
    network_page_ids = {page[0] for page in before["pages"] if page[3:] == ["pages", "networkpage"]}
    assert after["registry_networks"], "the demo registered no charter"
    for entry_id, network_id, is_network_page in after["registry_networks"]:
        assert is_network_page and network_id in network_page_ids, f"registry entry {entry_id}"
    assert after["membership_networks_are_network_pages"]

    # The site answers: the home page, a network and its registered charter.
    assert set(after["status"]) == {"home", "network", "registered charter"}
    for name, answer in after["status"].items():
        assert answer is not None and answer[1] == 200, f"{name}: {answer}"

    # The models and the migrations agree (`makemigrations --check --dry-run`).
    assert after["makemigrations"].strip() == "No changes detected", after["makemigrations"]

    print(f"\n{scratch_database.split(':')[0]}: seconds (wall, CPU) per step", *trees.timings, sep="\n  ")
