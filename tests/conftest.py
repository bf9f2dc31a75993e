import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Page

from networks.models import HomePage

from . import database_template
from .factories import LONG_AGO, load_province, make_provincial_officer, make_registrar


def pytest_configure(config):
    """On SQLite, every test process starts from a copy of the migrated template instead of migrating
    (tests/database_template.py); `--reuse-db` keeps pytest-django from recreating it. The controller of
    an xdist run makes the template before its workers start."""
    if not database_template.uses_sqlite():
        return
    name = Path(tempfile.gettempdir()) / f"welfare-test-{Path(__file__).resolve().parent.parent.name}.sqlite3"
    worker = getattr(config, "workerinput", {}).get("workerid")
    # pytest-django names a worker's database after the test database, with the worker id appended.
    database_template.copy_template_to(f"{name}_{worker}" if worker else name)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(name)
    config.option.reuse_db = True


# The longest tests, none of which uses the test database: first, so that under pytest-xdist no worker
# is left running them alone at the end. (pytest-django has already put the transactional tests last.)
LONGEST_FIRST = ("tests/migrations/", "tests/cms/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keep their order


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
