"""Drafts, documents under review, unpublished minutes and plans, and unregistered amendments never
reach the public: not in a page, a search result, a download or an API response."""

import json

import pytest
from wagtail.models import Page, PageViewRestriction

from networks.models import NetworkLevel, NetworkPage

from .conftest import SECRETS


def assert_no_secret(text, where):
    for name, secret in SECRETS.items():
        assert secret not in text, f"{name} leaked through {where}"


def public_urls(world):
    a, b, c, d = world["networks"]
    urls = ["/", "/en/", "/registry/", "/registry/registry.csv", "/registry/registry.json",
            f"/verify/{world['entry'].registration_number}/", f"/registry/{world['entry'].pk}/versions/",
            "/api/v1/networks/?limit=100", "/api/v1/charters/?limit=100", "/api/v1/registry/?limit=100",
            f"/api/v1/charters/{world['charter'].pk}/", f"/api/v1/registry/{world['entry'].registration_number}/"]
    for network in (a, b, c, d):
        urls += [network.url, f"/en{network.url}", f"/api/v1/networks/{network.pk}/"]
    for ancestor in NetworkPage.objects.ancestor_of(a):
        urls.append(ancestor.url)
    urls += [world["charter"].url, world["charter"].url + "?print=1", world["minutes"].url, world["plan"].url,
             world["revoked_charter"].url]
    return urls


@pytest.mark.django_db
def test_no_public_page_download_or_api_response_shows_unpublished_work(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_secret(response.content.decode(), url)


@pytest.mark.django_db
def test_search_never_finds_unpublished_work(client, world):
    for secret in SECRETS.values():
        for prefix in ("", "/en"):
            response = client.get(f"{prefix}/search/", {"q": secret})
            assert response.status_code == 200
            html = response.content.decode()
            assert 'class="search-result"' not in html, secret
    # The same search does find what is public: the registered charter's amended clause.
    html = client.get("/search/", {"q": "ภูมิลำเนา"}).content.decode()
    assert world["charter"].url in html


@pytest.mark.django_db
def test_unpublished_pages_are_not_served(client, world):
    def public_path(page):
        return page.url_path.replace("/home", "", 1)

    # The same way of making the address serves a published page.
    assert client.get(public_path(Page.objects.get(pk=world["charter"].pk))).status_code == 200
    for key in ("draft_charter", "review_charter", "draft_minutes", "draft_plan"):
        page = Page.objects.get(pk=world[key].pk)
        assert not page.live
        assert client.get(public_path(page)).status_code == 404
    for key in ("draft_charter", "review_charter"):
        assert client.get(f"/api/v1/charters/{world[key].pk}/").status_code == 404
    assert client.get(f"/api/v1/networks/{world['draft_minutes'].pk}/").status_code == 404


@pytest.mark.django_db
def test_api_lists_only_live_charters_and_documents(client, world):
    data = client.get("/api/v1/charters/?limit=100").json()
    ids = {item["id"] for item in data["items"]}
    assert ids == {world["charter"].pk, world["revoked_charter"].pk}
    detail = client.get(f"/api/v1/networks/{world['networks'][0].pk}/").json()
    assert [m["id"] for m in detail["minutes"]] == [world["minutes"].pk]
    assert [p["id"] for p in detail["action_plans"]] == [world["plan"].pk]
    # The live (registered) text, not the draft amendment saved after it.
    charter = client.get(f"/api/v1/charters/{world['charter'].pk}/").json()
    assert "ไม่น้อยกว่าหนึ่งปี" in json.dumps(charter, ensure_ascii=False)


@pytest.mark.django_db
def test_private_pages_are_hidden_too(client, world):
    """A page behind a view restriction is not public either."""

    plan = world["plan"]
    PageViewRestriction.objects.create(page=plan, restriction_type=PageViewRestriction.LOGIN)
    detail = client.get(f"/api/v1/networks/{world['networks'][0].pk}/").json()
    assert detail["action_plans"] == []
    html = client.get(world["networks"][0].url).content.decode()
    assert plan.url not in html
    assert NetworkPage.objects.filter(level=NetworkLevel.TAMBON).exists()

    charter = world["charter"]
    PageViewRestriction.objects.create(page=charter, restriction_type=PageViewRestriction.LOGIN)
    assert charter.url not in client.get("/registry/").content.decode()
    rows = client.get("/registry/registry.json").json()["results"]
    row = next(r for r in rows if r["registration_number"] == world["entry"].registration_number)
    assert row["charter_url"] is None
    assert charter.pk not in {c["id"] for c in client.get("/api/v1/charters/").json()["items"]}
    assert client.get(f"/api/v1/charters/{charter.pk}/").status_code == 404
