import pytest
from wagtail.models import Page

from networks.models import HomePage


@pytest.fixture
def home(db):
    """The home page the migrations create."""
    return HomePage.objects.get()


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture(autouse=True)
def _empty_public_page_cache():
    """Each test starts with an empty public page cache (public/cache.py): its memory outlives the test
    database, and an entry stored by one test must not answer another test's request."""
    from django.core.cache import caches

    caches["public"].clear()
    yield
    caches["public"].clear()
