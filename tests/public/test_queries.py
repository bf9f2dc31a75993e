"""Every public page runs a bounded number of queries, with the whole tree of Chiang Rai loaded and
whatever the number of registrations, documents or children."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import NetworkLevel, NetworkPage

from .conftest import make_charter, make_minutes, register, tambons

# Measured with Chiang Rai loaded, plus two spare. Pages of the tree include Wagtail's own routing
# (two queries per level of the tree, so deeper pages run more, but the depth is at most eight).
LIMITS = {
    "home": 12,
    "national": 18,
    "region": 20,
    "province": 22,
    "district": 24,
    "tambon": 26,
    "charter": 26,
    "charter_print": 26,
    "minutes": 27,
    "plan": 22,
    "registry": 5,
    "registry_csv": 3,
    "registry_json": 3,
    "verify": 7,
    "diff": 6,
    "search": 12,
    "api_networks": 6,
    "api_network": 8,
    "api_charters": 6,
    "api_charter": 7,
    "api_registry": 4,
}


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


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(world, registrar):
    """More of everything a page lists: registrations, minutes, a bigger registry."""
    a = world["networks"][0]
    for number in range(3, 8):
        make_minutes(a, number=number, date=datetime.date(2025, 7, number))
    for i, network in enumerate(tambons(30)[10:30]):
        register(make_charter(network), registrar, datetime.date(2025, 1 + i % 12, 1 + i))


@pytest.mark.django_db
def test_every_public_page_is_bounded_and_does_not_grow(client, world, registrar, django_assert_max_num_queries):
    pages = urls(world)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    for name, url in pages.items():
        with django_assert_max_num_queries(LIMITS[name], info=name):
            client.get(url)

    grow(world, registrar)
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before
