"""The home page and the directory count networks and registered organizations the same way
(public.context.area_counts): the home page's 8,447 and the national directory page's 8,441 were the
same tree counted twice, the directory leaving out the national and regional networks themselves
(8,447 - 8,441 = 1 national + 5 regions)."""

import datetime

import pytest
from django.utils import translation

from networks.models import NetworkLevel, NetworkPage
from public.context import area_counts
from registry import services
from registry.models import RegistryEntry, RegistryStatus
from tests.factories import add_charter

from .conftest import tambons


@pytest.fixture
def tree(tree57, registrar):
    """Chiang Rai's part of the real tree with a hidden tambon (counted nowhere) and two registered
    organizations: a tambon fund and the regional network."""
    wiang, hidden = tambons(2)
    hidden.unpublish()
    north = NetworkPage.objects.get(pk=tree57.get_parent().pk)
    for network, day in ((wiang, 1), (north, 2)):
        services.register(add_charter(network, publish=True), registrar, on_date=datetime.date(2026, 5, day))
    return {
        "national": NetworkPage.objects.get(level=NetworkLevel.NATIONAL),
        "north": north, "province": tree57, "wiang": wiang, "hidden": hidden,
    }


def expected(root):
    networks = NetworkPage.objects.live().filter(path__startswith=root.path).count()
    registered = RegistryEntry.objects.filter(
        status=RegistryStatus.REGISTERED, network__path__startswith=root.path
    ).count()
    return networks, registered


@pytest.mark.django_db
def test_home_and_directory_agree(client, tree, home):
    networks, registered = expected(home)
    assert networks == NetworkPage.objects.live().count() and registered >= 2

    with translation.override("en"):
        home_page = client.get("/en/")
        national = client.get(tree["national"].url)
        north = client.get(tree["north"].url)
    assert home_page.context["network_count"] == national.context["total_below"] == networks
    assert home_page.context["registered_count"] == national.context["registered_below"] == registered

    # The numbers the reader sees.
    assert f"<dt>Networks</dt><dd>{networks}</dd>" in home_page.content.decode()
    assert f"{networks} in the whole area, {registered} registered" in national.content.decode()

    # The region's row on the home page and the region's own directory page: the region itself included.
    north_row = next(row for row in home_page.context["region_rows"] if row["network"].pk == tree["north"].pk)
    assert (north_row["networks"], north_row["registered"]) == expected(tree["north"])
    assert north.context["total_below"] == north_row["networks"]
    assert north.context["registered_below"] == north_row["registered"]
    # The national network and its regions: everything.
    assert 1 + sum(row["networks"] for row in home_page.context["region_rows"]) == networks


@pytest.mark.django_db
def test_one_function_for_every_count(tree, home):
    assert area_counts(home) == expected(home)
    assert area_counts(tree["national"]) == expected(home)
    province_networks = NetworkPage.objects.live().filter(province_code="57").count()
    assert area_counts(tree["province"])[0] == province_networks  # the hidden tambon left out
    assert area_counts(tree["wiang"]) == (1, 1)
    assert area_counts(tree["hidden"]) == (0, 0)
