"""Thai at /, English at /en/, one click apart; lang attributes; the read-only JSON API."""

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.utils.translation import override

from networks.models import NetworkLevel, NetworkPage


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
class TestLanguage:
    def pages(self, world):
        a = world["networks"][0]
        with override("th"):
            return [
                "/", "/registry/?province=57&status=registered", f"/verify/{world['entry'].registration_number}/",
                "/verify/", "/search/?q=" + quote("ภูมิลำเนา"), a.url, world["charter"].url, world["minutes"].url,
                world["plan"].url, f"/registry/{world['entry'].pk}/versions/",
            ]

    def test_thai_pages_link_to_english_and_back(self, client, world):
        for url in self.pages(world):
            html = html_of(client, url)
            assert '<html lang="th">' in html, url
            english = "/en" + url
            switch = re.search(r'<p class="language-switch">\s*<a href="([^"]+)" lang="en" hreflang="en">English</a>',
                               html)
            assert switch, url
            assert unquote(switch.group(1).replace("&amp;", "&")) == unquote(english), url
            html = html_of(client, english)
            assert '<html lang="en">' in html, english
            switch = re.search(r'<a href="([^"]+)" lang="th" hreflang="th">ภาษาไทย</a>', html)
            assert switch and unquote(switch.group(1).replace("&amp;", "&")) == unquote(url), english

    def test_english_pages_mark_thai_text(self, client, world):
        with override("th"):
            charter_url, minutes_url, a_url = world["charter"].url, world["minutes"].url, world["networks"][0].url
        html = html_of(client, "/en" + charter_url)
        assert '<div class="charter" lang="th">' in html
        assert re.search(r'<h1 lang="th">ข้อบังคับ', html)
        html = html_of(client, "/en" + minutes_url)
        assert '<article class="minutes" lang="th">' in html
        # A network with an English name is shown by it on English pages, and not marked Thai.
        a = world["networks"][0]
        html = html_of(client, "/en" + a_url)
        assert f"<span>{a.name_en}</span>" in html
        html = html_of(client, a_url)
        assert f'<span lang="th">{a.title}</span>' in html

    def test_english_links_stay_in_english(self, client, world):
        north = NetworkPage.objects.get(level=NetworkLevel.REGION, slug="north")
        with override("th"):
            north_url = north.url
        html = html_of(client, "/en/")
        assert 'href="/en/registry/"' in html and 'href="/en/verify/"' in html
        assert f'href="/en{north_url}"' in html

    def test_accessibility_basics(self, client, world):
        for url in self.pages(world):
            html = html_of(client, url)
            assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
            # Every form control has a label.
            for control_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
                assert f'for="{control_id}"' in html, (url, control_id)
            assert '<meta name="viewport"' in html

    def test_stylesheet_bundles_sarabun(self, settings):
        # The faces are in fonts.css (shared with the admin), which every public page loads with site.css.
        css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
        fonts = (Path(settings.BASE_DIR) / "static/css/fonts.css").read_text()
        names = re.findall(r'url\("\.\./fonts/sarabun/([^"]+)"\)', fonts)
        assert len(names) == 4  # Thai and Latin, regular and bold
        for name in names:
            assert (Path(settings.BASE_DIR) / "static/fonts/sarabun" / name).exists(), name
        assert "fonts.googleapis" not in css + fonts and ":focus-visible" in css


@pytest.mark.django_db
class TestApi:
    def test_index_and_networks_filters(self, client, world):
        index = client.get("/api/v1/").json()
        assert set(index["endpoints"]) == {"networks", "charters", "registry"}
        data = client.get("/api/v1/networks/", {"level": "district", "province": "57", "limit": 100}).json()
        assert data["meta"]["total_count"] == 18 and len(data["items"]) == 18
        a = world["networks"][0]
        district = a.get_parent()
        children = client.get("/api/v1/networks/", {"parent": district.pk, "limit": 100}).json()
        registered = [n for n in children["items"] if n["registration"] and n["registration"]["status"] == "registered"]
        assert [n["id"] for n in registered] == [a.pk]
        assert registered[0]["registration"]["registration_number"] == world["entry"].registration_number

    def test_pagination_and_bad_input(self, client, world):
        page1 = client.get("/api/v1/networks/", {"province": "57", "limit": 10}).json()
        page2 = client.get("/api/v1/networks/", {"province": "57", "limit": 10, "offset": 10}).json()
        assert page1["meta"]["total_count"] == 143  # 1 province + 18 districts + 124 tambons
        assert not {n["id"] for n in page1["items"]} & {n["id"] for n in page2["items"]}
        for params in ({"limit": 0}, {"limit": 101}, {"offset": "x"}, {"level": "planet"}):
            response = client.get("/api/v1/networks/", params)
            assert response.status_code == 400, params
            assert response.json()["message"]

    def test_charter_detail(self, client, world):
        data = client.get(f"/api/v1/charters/{world['charter'].pk}/").json()
        assert data["chapters"][1]["clauses"][0]["number"] == 2
        assert data["registration"]["registration_number"] == world["entry"].registration_number
        assert [v["index"] for v in data["registered_versions"]] == [0, 1]
        assert data["registered_versions"][1]["text_sha256"] == world["entry"].text_sha256

    def test_registry_detail(self, client, world):
        entry = world["revoked_entry"]
        data = client.get(f"/api/v1/registry/{entry.registration_number}/").json()
        assert data["status"] == "revoked" and data["revoked_on"] == "2025-01-05"
        assert client.get("/api/v1/registry/57-2500-9999/").status_code == 404

    def test_read_only(self, client, world):
        assert client.post("/api/v1/networks/").status_code == 405
        assert client.post("/registry/registry.csv").status_code == 405


@pytest.mark.django_db
def test_search_page_filters(client, world):
    with override("th"):
        charter_url, plan_url = world["charter"].url, world["plan"].url
    html = html_of(client, "/search/?" + "q=" + quote("ภูมิลำเนา") + "&kind=charter&province=57")
    assert charter_url in html and "<mark>" in html
    html = html_of(client, "/search/?q=" + quote("ภูมิลำเนา") + "&province=50")
    assert 'class="search-result"' not in html
    html = html_of(client, "/search/?q=" + quote("ติดตามและทบทวน") + "&kind=plan")
    assert plan_url in html
    html = html_of(client, "/search/?q=" + quote("ภูมิลำเนา") + "&province=xx")
    assert 'class="field__error"' in html and 'class="search-result"' not in html


@pytest.mark.django_db
def test_english_labels_in_a_thai_plan_are_not_marked_thai(client, world):
    html = html_of(client, "/en" + world["plan"].url)
    row = re.search(r'<th scope="row">(.*?)</th>', html, re.S).group(1)
    assert '<span lang="th">ติดตามและทบทวนการบริหารกองทุน</span>' in row
    assert 'lang="th"' not in row.split("<small>")[1]
