"""Absolute URLs in registry.csv, registry.json and the API: charter_url, network_url and verify_url
(and the API's html_url and detail_url) from one source, settings.PUBLIC_BASE_URL when set, else the
address the request came to; never the Site's "http://localhost"."""

import csv
import datetime
import io

import pytest

from registry import services
from tests.factories import add_charter, add_province

HOST = "welfare.example.go.th"
URL_COLUMNS = ("charter_url", "network_url", "verify_url")


@pytest.fixture
def entry(home, registrar, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    network = add_province(home, publish=True)
    charter = add_charter(network, publish=True)
    return services.register(charter, registrar, on_date=datetime.date(2026, 5, 14))


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def all_urls(client, entry, **headers):
    """Every absolute URL of the three outputs for `entry`."""
    urls = []
    rows = csv_rows(client.get("/registry/registry.csv", **headers))
    urls += [rows[0][column] for column in URL_COLUMNS]
    results = client.get("/registry/registry.json", **headers).json()["results"]
    urls += [results[0][column] for column in URL_COLUMNS]
    item = client.get("/api/v1/registry/", **headers).json()["items"][0]
    urls += [item[column] for column in URL_COLUMNS]
    detail = client.get(f"/api/v1/registry/{entry.registration_number}/", **headers).json()
    urls += [detail[column] for column in URL_COLUMNS]
    network = client.get(f"/api/v1/networks/{entry.network_id}/", **headers).json()
    urls += [network["html_url"], network["detail_url"], network["registration"]["detail_url"]]
    urls += [charter["html_url"] for charter in network["charters"]]
    charters = client.get("/api/v1/charters/", **headers).json()["items"]
    urls += [c["html_url"] for c in charters] + [c["detail_url"] for c in charters]
    urls += list(client.get("/api/v1/", **headers).json()["endpoints"].values())
    return urls


@pytest.mark.django_db
def test_every_column_uses_the_request_host(client, entry):
    urls = all_urls(client, entry, HTTP_HOST=HOST)
    assert len(urls) >= 20 and all(urls)
    assert all(url.startswith(f"http://{HOST}/") for url in urls), urls
    # The links lead to the right pages.
    rows = csv_rows(client.get("/registry/registry.csv", HTTP_HOST=HOST))
    assert rows[0]["charter_url"] == f"http://{HOST}{entry.charter.url}"
    assert rows[0]["network_url"] == f"http://{HOST}{entry.network.url}"
    assert rows[0]["verify_url"] == f"http://{HOST}/verify/{entry.registration_number}/"


@pytest.mark.django_db
def test_https_behind_the_proxy_keeps_the_scheme(client, entry, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    urls = all_urls(client, entry, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    assert all(url.startswith(f"https://{HOST}/") for url in urls), urls


@pytest.mark.django_db
def test_the_setting_wins_for_every_column(client, entry, settings):
    settings.PUBLIC_BASE_URL = "https://register.example.org"
    urls = all_urls(client, entry, HTTP_HOST=HOST)
    assert all(url.startswith("https://register.example.org/") for url in urls), urls
    row = csv_rows(client.get("/registry/registry.csv", HTTP_HOST=HOST))[0]
    assert row["verify_url"] == f"https://register.example.org/verify/{entry.registration_number}/"
    assert row["charter_url"] == f"https://register.example.org{entry.charter.url}"
