"""The public pages render what they should, in Thai at / and English at /en/, with a bounded
number of queries with a whole province loaded."""

import re

import pytest
from wagtail.models import Page

from networks.models import NetworkLevel, NetworkPage
from networks.tree import Node, TreeLoader
from public.context import CHILDREN_PER_PAGE

from .conftest import SECRETS


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
class TestHome:
    def test_counts_newest_registrations_and_search_box(self, client, world):
        html = get(client, "/")
        assert '<html lang="th">' in html
        # 1 national + 5 regions (all in the region table) + 1 province + 18 districts + 124 tambons
        networks = NetworkPage.objects.live().count()
        assert re.search(rf"<dd>{networks}</dd>", html)
        # One organization stands (the other was revoked).
        assert re.search(r"<dd>1</dd>", html)
        assert world["entry"].registration_number in html
        assert world["revoked_entry"].registration_number not in html
        assert 'role="search"' in html and 'action="/search/"' in html
        assert "เชียงราย" in html  # the province table

    def test_english(self, client, world):
        html = get(client, "/en/")
        assert '<html lang="en">' in html
        assert "Newest registrations" in html
        assert 'href="/en/registry/"' in html
        # Thai names on the English page are marked as Thai.
        assert re.search(r'<p class="card__title" lang="th">', html)


@pytest.mark.django_db
class TestDirectory:
    def test_drill_down_with_counts(self, client, world, tree57):
        national = NetworkPage.objects.get(level=NetworkLevel.NATIONAL)
        html = get(client, national.url)
        north = NetworkPage.objects.get(level=NetworkLevel.REGION, slug="north")
        assert north.url in html
        html = get(client, north.url)
        # The province with its districts and tambons counted.
        assert tree57.url in html
        assert "18 " in html and "124 " in html
        html = get(client, tree57.url)
        a = world["networks"][0]
        district = a.get_parent().specific
        assert district.url in html
        html = get(client, district.url)
        assert a.url in html
        assert html.count('class="badge badge--registered"') == 1
        html = get(client, "/en" + district.url)
        assert "1 registered" in html

    def test_directory_link_goes_to_national(self, client, tree57):
        response = client.get("/networks/")
        assert response.status_code == 302
        assert response["Location"] == NetworkPage.objects.get(level=NetworkLevel.NATIONAL).url

    def test_network_page_documents(self, client, world):
        a = world["networks"][0]
        html = get(client, a.url)
        assert world["entry"].registration_number in html
        assert world["charter"].url in html
        assert world["minutes"].url in html
        assert world["plan"].url in html
        for secret in SECRETS.values():
            assert secret not in html

    def test_breadcrumbs_name_every_network_above(self, client, world):
        a = world["networks"][0]
        crumbs = re.compile(r'<nav class="breadcrumbs".*?</nav>', re.S)
        above = [p.url for p in NetworkPage.objects.ancestor_of(a)]
        nav = crumbs.search(get(client, a.url)).group(0)
        assert re.findall(r'href="([^"]+)"', nav) == above
        # A document's trail ends with its own network.
        nav = crumbs.search(get(client, world["charter"].url)).group(0)
        assert re.findall(r'href="([^"]+)"', nav) == [*above, a.url]

    def test_revoked_network_page(self, client, world):
        html = get(client, world["networks"][3].url)
        assert "badge--revoked" in html
        assert "ไม่มีผลการดำเนินงาน" in html

    def test_thousands_of_children_paginate(self, client, home):
        province = _big_province(home, CHILDREN_PER_PAGE * 2 + 5)
        html = get(client, province.url)
        assert html.count('class="directory__counts"') == CHILDREN_PER_PAGE
        html = get(client, province.url + "?page=3")
        assert html.count('class="directory__counts"') == 5
        assert 'rel="prev"' in html


def _big_province(home, children):
    national = home.add_child(instance=NetworkPage(title="ประเทศ", level="national", slug="national-x"))
    region = national.add_child(instance=NetworkPage(title="ภาค", level="region", slug="region-x"))
    province = region.add_child(instance=NetworkPage(title="จังหวัด", level="province", area_code="99", slug="p99"))
    # The children as the bulk tree loader writes them (a few statements, indexed for search): saved one
    # by one through treebeard they took most of the test's time.
    districts = [Node(NetworkLevel.DISTRICT, f"d{i}", f"อำเภอ {i}", "", f"d{i}", province_code="99")
                 for i in range(children)]
    TreeLoader()._place_level([(Page.objects.get(pk=province.pk), districts)])
    return NetworkPage.objects.get(pk=province.pk)
