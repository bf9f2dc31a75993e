"""Every public page runs a constant number of queries, with the whole tree of Chiang Rai loaded and
whatever the number of registrations, documents or children, and whatever the depth of the page in
the tree: pages are routed by their url_path in one query (pages.models.HomePage.route)."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from networks.models import HomePage, NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from tests.factories import add_charter
from tests.queries import count_queries

from .conftest import make_minutes, make_plan, register, tambons

# Measured (uncached). Every page of the tree starts with Wagtail's site lookup (site, root page), then
# one query routes it (with the view restrictions and breadcrumbs of every page above it) and one reads
# the specific page; the same at every depth. A network page reads its documents in one query; the
# counts below its children come from the public cache after the first rendering (public.cache.remember).
LIMITS = {
    "home": 5,
    "national": 9,
    "region": 9,
    "province": 9,
    "district": 9,
    "tambon": 9,
    "charter": 8,
    "charter_print": 5,
    "minutes": 10,
    "plan": 5,
    "registry": 5,  # + the half-year reports of the page's organizations (registry.duties)
    "registry_csv": 2,
    "registry_json": 2,
    "verify": 6,
    "diff": 5,
    "search": 5,  # PostgreSQL: planner settings set and restored around the search (thaisearch.entries)
    "api_networks": 4,
    "api_network": 6,
    "api_charters": 4,
    "api_charter": 5,
    "api_registry": 3,
}
TREE_PAGES = ("national", "region", "province", "district", "tambon")


@pytest.fixture(autouse=True)
def _uncached(settings):
    """The queries of the rendering itself, not of the public page cache (public/cache.py)."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("public.cache.")]


def urls(world):
    a = world["networks"][0]
    district = NetworkPage.objects.get(pk=a.get_parent().pk)
    province = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, province_code="57")
    entry = world["entry"]
    return {
        "home": "/",
        "national": NetworkPage.objects.get(level=NetworkLevel.NATIONAL).url,
        "region": NetworkPage.objects.get(level=NetworkLevel.REGION, slug="north").url,
        "province": province.url,
        "district": district.url,
        "tambon": a.url,
        "charter": world["charter"].url,
        "charter_print": world["charter"].url + "?print=1",
        "minutes": world["minutes"].url,
        "plan": world["plan"].url,
        "registry": "/registry/?province=57",
        "registry_csv": "/registry/registry.csv",
        "registry_json": "/registry/registry.json?status=registered",
        "verify": f"/verify/{entry.registration_number}/",
        "diff": f"/registry/{entry.pk}/versions/?from=0&to=1",
        "search": "/search/?q=ภูมิลำเนา",
        "api_networks": "/api/v1/networks/?province=57&limit=100",
        "api_network": f"/api/v1/networks/{a.pk}/",
        "api_charters": "/api/v1/charters/",
        "api_charter": f"/api/v1/charters/{world['charter'].pk}/",
        "api_registry": "/api/v1/registry/?limit=100",
    }


def grow(world, registrar):
    """More of everything a page lists: registrations, minutes, a bigger registry."""
    a = world["networks"][0]
    for number in range(3, 8):
        make_minutes(a, number=number, date=datetime.date(2025, 7, number))
    for i, network in enumerate(tambons(30)[10:30]):
        register(add_charter(network, publish=True), registrar, datetime.date(2025, 1 + i % 12, 1 + i))


@pytest.mark.django_db
def test_every_public_page_is_bounded_and_does_not_grow(client, world, registrar):
    pages = urls(world)
    # Each count is of a request with the caches warm (count_queries), the one the limit is about.
    before = {name: count_queries(client, url) for name, url in pages.items()}
    over = {name: (count, LIMITS[name]) for name, count in before.items() if count > LIMITS[name]}
    assert not over, f"queries over the limit (counted, limit): {over}"

    grow(world, registrar)
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before


@pytest.mark.django_db
def test_tree_pages_run_the_same_queries_at_every_depth(client, world):
    pages = urls(world)
    counts = {name: count_queries(client, pages[name]) for name in TREE_PAGES}
    assert len(set(counts.values())) == 1, counts


@pytest.mark.django_db
def test_charter_queries_do_not_depend_on_its_depth_or_the_tree(client, tree57, registrar):
    """A registered charter under a tambon (depth 7) and one under the province (depth 5) run the same
    queries; loading more provinces changes nothing."""
    # A tambon with no document yet (the module's world, when built, has documents under the first four).
    tambon = NetworkPage.objects.filter(level=NetworkLevel.TAMBON, province_code="57", numchild=0).order_by("path")[0]
    deep = add_charter(tambon, publish=True)
    register(deep, registrar, datetime.date(2025, 2, 1))
    shallow = add_charter(tree57, publish=True)
    register(shallow, registrar, datetime.date(2025, 2, 2))
    assert deep.depth - shallow.depth == 2

    deep_count = count_queries(client, deep.url)
    assert count_queries(client, shallow.url) == deep_count
    assert deep_count <= LIMITS["charter"]

    TreeLoader().load(["11", "20"])
    assert count_queries(client, deep.url) == deep_count


@pytest.mark.django_db
def test_routing_in_one_query_keeps_wagtails_outcomes(client, world):
    """Routing by url_path answers as Wagtail's level-by-level walk does."""
    a = world["networks"][0]
    charter = world["charter"]
    # Unpublished pages, missing levels and paths below a leaf are not found.
    assert client.get(world["draft_minutes"].url).status_code == 404
    assert client.get(world["draft_plan"].url).status_code == 404
    assert client.get(a.url + "no-such-page/").status_code == 404
    assert client.get(charter.url + "more/").status_code == 404
    assert client.get(a.url.replace(a.slug, "no-such-tambon") + "charter/").status_code == 404
    # Only the page itself must be live: a live charter under an unpublished network is served.
    a.unpublish()
    assert "ภูมิลำเนาในตำบลไม่น้อยกว่าหนึ่งปี" in client.get(charter.url).content.decode()
    # A view restriction on a page above still applies (Wagtail's check_view_restrictions).
    district = NetworkPage.objects.get(pk=a.get_parent().pk)
    PageViewRestriction.objects.create(page=district, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(charter.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]
    # A password restriction on the page itself: Wagtail's password form, never cached.
    PageViewRestriction.objects.all().delete()
    PageViewRestriction.objects.create(page=charter, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get(charter.url)
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert "no-cache" in response["Cache-Control"]
    assert "ภูมิลำเนาในตำบลไม่น้อยกว่าหนึ่งปี" not in response.content.decode()
    # The home page routes itself: a restriction on it still applies, to it and below it.
    PageViewRestriction.objects.all().delete()
    PageViewRestriction.objects.create(page=HomePage.objects.get(), restriction_type=PageViewRestriction.LOGIN)
    for url in ("/", charter.url):
        response = client.get(url)
        assert response.status_code == 302 and "/_util/login/" in response["Location"], url


@pytest.mark.django_db
def test_network_page_reads_its_documents_in_one_query_in_order(client, world, registrar):
    """Charter, minutes and plans of a network come from one query over the page table; minutes
    newest first, plans newest fiscal year first, drafts left out."""

    a = world["networks"][0]
    grow(world, registrar)
    make_plan(a, fiscal_year=2570, title="แผนปฏิบัติการปี 2570")
    context = client.get(a.url).context
    assert [m.number_label for m in context["minutes"]] == ["7/2568", "6/2568", "5/2568", "4/2568", "3/2568",
                                                            "1/2568"]
    assert [p.fiscal_year for p in context["plans"]] == [2570, 2568]
    assert context["charter"].pk == world["charter"].pk
    assert context["charter"].version_label == world["charter"].version_label
