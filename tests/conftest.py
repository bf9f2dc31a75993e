import atexit
import gc
import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import translation
from wagtail.models import Page

from networks.models import HomePage

from . import database_template
from .factories import LONG_AGO, load_province, make_provincial_officer, make_registrar
from .scoped import built_once_per_module
from .workflows.conftest import build_world


@atexit.register
def _exit_without_a_last_garbage_collection():
    """As it exits, Python runs its cycle collector over every object still alive: 2 to 3 s for a test
    process, which has Django, Wagtail and the test modules loaded, paid by the xdist worker that ends last
    (the controller waits for it to exit) and by the controller. Frozen objects are left to the system,
    which takes the process's memory back whole. The other exit handlers still run; this only skips that
    last collection."""
    gc.freeze()


def pytest_collection_finish(session):
    """What is loaded by now (Django, Wagtail, the test modules and their items) lives as long as the
    process. Frozen, it is no longer walked by each full cycle collection, which then takes half the time."""
    gc.freeze()


def pytest_configure(config):
    """On SQLite, every test process starts from a copy of the migrated template instead of migrating
    (tests/database_template.py); `--reuse-db` keeps pytest-django from recreating it. The controller of
    an xdist run makes the template before its workers start. Each run has its own copy (named after the
    controller's process), so that two runs in one checkout never share a database."""
    if not database_template.uses_sqlite():
        return
    workerinput = getattr(config, "workerinput", None)
    if workerinput:
        name = workerinput["welfare_test_database"]
        # pytest-django names a worker's database after the test database, with the worker id appended.
        config.welfare_database_copy = f"{name}_{workerinput['workerid']}"
    else:
        checkout = Path(__file__).resolve().parent.parent.name
        name = str(Path(tempfile.gettempdir()) / f"welfare-test-{checkout}-{os.getpid()}.sqlite3")
        config.welfare_database_copy = name
    config.welfare_test_database = name
    database_template.copy_template_to(config.welfare_database_copy)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    config.option.reuse_db = True


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Tell each xdist worker the name of the run's test database."""
    if hasattr(node.config, "welfare_test_database"):  # on SQLite
        node.workerinput["welfare_test_database"] = node.config.welfare_test_database


def pytest_unconfigure(config):
    copy = getattr(config, "welfare_database_copy", None)
    if copy:
        Path(copy).unlink(missing_ok=True)


def pytest_itemcollected(item):
    """Under pytest-xdist (`--dist loadgroup`), the tests of a module that use data built once for the
    module or the package (tests/scoped.py) go to one worker, which builds it once, not once per worker."""
    fixturedefs = getattr(item, "_fixtureinfo", None)
    if _is_transactional(item):
        return  # a group goes out early; a transactional test empties the database, so it stays last
    if item.get_closest_marker("xdist_group"):
        return  # the module names its group itself (tests/cms: the production server)
    if fixturedefs and any(defs[-1].scope in ("module", "package")
                           for defs in fixturedefs.name2fixturedefs.values() if defs):
        item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))) or any(
        name in item.fixturenames for name in ("transactional_db", "live_server"))


# The longest tests, none of which uses the test database: first, so that under pytest-xdist no worker
# is left running them alone at the end. (pytest-django has already put the transactional tests last.)
LONGEST_FIRST = ("tests/migrations/", "tests/cms/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keep their order
    if getattr(config.option, "loadgroup", False):  # on an xdist worker of `--dist loadgroup`
        for item in items:
            _name_the_group(item)


def _name_the_group(item):
    """Append "@group" to the test's id, which is what sends a group to one worker (xdist reads the group
    from the id). pytest-xdist 3.8 does it by setting `item._nodeid`, which pytest 9.2 no longer reads (the
    id is `item._id`): without this, every module's tests were spread over both workers, and each built
    the module's data, the workflow worlds, the permission matrix's and the production server, twice."""
    names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                    for mark in item.iter_markers("xdist_group")})
    if names and "@" not in item.nodeid and hasattr(item, "_id"):
        from _pytest.nodeid import NodeId  # pytest >= 9.2, where `_id` is

        item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


CHIANG_RAI = "57"
SAMUT_PRAKAN = "11"


@pytest.fixture
def home(db):
    """The home page the migrations create."""
    return HomePage.objects.get()


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def chiang_rai(home):
    """The Chiang Rai provincial network of the real tree, with its 18 districts and 124 tambons (and the
    national and northern networks above it)."""
    return load_province(CHIANG_RAI)


@pytest.fixture
def samut_prakan(home):
    return load_province(SAMUT_PRAKAN)


# The world of the workflow tests (tests/workflows/conftest.py), built once per test module; here so that
# the tests of other folders that import the fixture `world` (tests/registry) find it too.
_workflows_world = built_once_per_module(build_world)


@pytest.fixture
def registrar(db):
    """The registrar (ก.ส.ค.), in post since long ago."""
    return make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)


@pytest.fixture
def officer(db):
    """The provincial officer (พมจ.) of Chiang Rai."""
    return make_provincial_officer("officer57", "57", admin_access=True)


@pytest.fixture(autouse=True)
def _empty_public_page_cache():
    """Each test starts with an empty public page cache (public/cache.py): its memory outlives the test
    database, and an entry stored by one test must not answer another test's request."""
    caches["public"].clear()
    yield
    caches["public"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, Thai. A request through the test client leaves the
    language its LocaleMiddleware activated (English after an /en/ page) active in the test's thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and at the end, on PostgreSQL, the test database's other sessions closed first. A
    request thread of the live server that Chromium's keep-alive left waiting keeps its connection until
    the process exits, so pytest-django could not drop the database ("being accessed by other users")."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
