"""The home page and network pages run a constant number of queries, however many children a network
has and however deep it sits in the tree."""

import pytest
from django.utils.translation import override

from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from tests.queries import count_queries

# Measured, without the page cache: Wagtail's site lookup (2), routing by url_path with the view
# restrictions and breadcrumbs above (1), the page (1), then the page's own listings and documents. The
# counts below each child come from the public cache after the first rendering (public.cache.remember).
NETWORK_PAGE_QUERIES = 9
HOME_PAGE_QUERIES = 5


@pytest.fixture(autouse=True)
def _uncached(settings):
    """The queries of the rendering itself, not of the public page cache (public/cache.py)."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("public.cache.")]


def page_url(page):
    with override("th"):
        return page.get_url()


def districts_by_children(province):
    districts = NetworkPage.objects.child_of(province).filter(level=NetworkLevel.DISTRICT)
    return sorted(districts, key=lambda d: d.numchild)


def test_network_page_queries_do_not_grow_with_children(client, chiang_rai, django_assert_max_num_queries):
    ordered = districts_by_children(chiang_rai)
    few, many = ordered[0], ordered[-1]
    assert many.numchild >= 3 * few.numchild  # e.g. 16 tambons against 3

    few_count = count_queries(client, page_url(few))
    many_count = count_queries(client, page_url(many))

    assert many_count == few_count
    with django_assert_max_num_queries(NETWORK_PAGE_QUERIES):
        client.get(page_url(many))


def test_network_pages_run_the_same_queries_at_every_depth(client, chiang_rai):
    district = districts_by_children(chiang_rai)[-1]
    tambon = NetworkPage.objects.child_of(district).first()
    region = chiang_rai.get_parent()
    counts = [count_queries(client, page_url(page)) for page in (region, chiang_rai, district)]
    assert counts == [NETWORK_PAGE_QUERIES] * 3
    # A tambon has no networks below it: its empty listing needs no query.
    assert count_queries(client, page_url(tambon)) <= NETWORK_PAGE_QUERIES


def test_province_page_is_bounded(client, chiang_rai, django_assert_max_num_queries):
    client.get(page_url(chiang_rai))
    with django_assert_max_num_queries(NETWORK_PAGE_QUERIES):
        response = client.get(page_url(chiang_rai))
    assert response.status_code == 200


def test_home_page_queries_do_not_grow_with_the_tree(client, chiang_rai, django_assert_max_num_queries):
    before = count_queries(client, "/")

    TreeLoader().load(["11", "20", "30"])  # three more provinces, two more regions

    assert count_queries(client, "/") == before
    with django_assert_max_num_queries(HOME_PAGE_QUERIES):
        client.get("/")
