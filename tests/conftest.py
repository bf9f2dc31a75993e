import pytest
from wagtail.models import Page

from pages.models import HomePage


@pytest.fixture
def home(db):
    """The home page the migrations create."""
    return HomePage.objects.get()


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()
