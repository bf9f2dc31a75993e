"""The registry page's filters, and the CSV and JSON downloads that carry exactly what it shows."""

import csv
import datetime
import io
import re

import pytest

import public.views
from networks.models import NetworkLevel, NetworkPage
from registry.models import RegistryEntry, RegistryStatus
from registry.services import revoke
from tests.factories import add_charter, add_network, make_registrar

from .conftest import kept_while_in_scope, register, tambons


@pytest.fixture(scope="module")
def registry(_chiang_rai_tree, django_db_blocker):
    """Twelve organizations in Chiang Rai over three years, two revoked, and one in another province: built
    once, for this module's tests only read it."""

    def build():
        registrar = make_registrar("registry-reader")
        entries = []
        for i, network in enumerate(tambons(12)):
            year = 2023 + i % 3
            entry = register(add_charter(network, publish=True), registrar, datetime.date(year, 1 + i, 10))
            entries.append(entry)
        for entry in entries[:2]:
            revoke(entry, registrar, "ไม่ปฏิบัติตามข้อบังคับ", on_date=datetime.date(2025, 12, 1))
        # One fund of another province (Chiang Mai, 50), in the same region: the filters need no more of its tree.
        north = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, province_code="57").get_parent().specific
        chiang_mai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่", "province", "50")
        mueang = add_network(chiang_mai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงใหม่", "district", "5001")
        other = add_network(mueang, "กองทุนสวัสดิการชุมชนตำบลศรีภูมิ", "tambon", "500101")
        entries.append(register(add_charter(other, publish=True), registrar, datetime.date(2024, 2, 2)))
        return RegistryEntry.objects.all()

    with kept_while_in_scope(django_db_blocker, build) as entries:
        yield entries


def numbers_on_page(html):
    return re.findall(r'href="/verify/([0-9-]+)/">\1</a></td>', html)


def expected(queryset, *ordering):
    return list(queryset.order_by(*ordering).values_list("registration_number", flat=True))


FILTERS = [
    ({}, lambda qs: qs, ("-registered_on", "-registration_number")),
    ({"province": "57"}, lambda qs: qs.filter(network__province_code="57"), ("-registered_on", "-registration_number")),
    ({"province": "50"}, lambda qs: qs.filter(network__province_code="50"), ("-registered_on", "-registration_number")),
    ({"year": "2567"}, lambda qs: qs.filter(registered_on__year=2024), ("-registered_on", "-registration_number")),
    ({"status": "revoked"}, lambda qs: qs.filter(status=RegistryStatus.REVOKED), ("-registered_on", "-registration_number")),
    ({"status": "registered", "province": "57", "year": "2568"},
     lambda qs: qs.filter(status="registered", network__province_code="57", registered_on__year=2025),
     ("-registered_on", "-registration_number")),
    ({"sort": "number"}, lambda qs: qs, ("registration_number",)),
    ({"sort": "date", "province": "57"}, lambda qs: qs.filter(network__province_code="57"),
     ("registered_on", "registration_number")),
]


@pytest.mark.django_db
@pytest.mark.parametrize("params,narrow,ordering", FILTERS)
def test_filters_and_downloads_match_the_list(client, registry, params, narrow, ordering):
    want = expected(narrow(RegistryEntry.objects.all()), *ordering)
    assert want or params.get("status") == "revoked"

    html = client.get("/registry/", params).content.decode()
    assert numbers_on_page(html) == want

    response = client.get("/registry/registry.csv", params)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["registration_number"] for row in rows] == want

    data = client.get("/registry/registry.json", params).json()
    assert data["count"] == len(want)
    assert [row["registration_number"] for row in data["results"]] == want

    api = client.get("/api/v1/registry/", {**params, "limit": 100}).json()
    assert [row["registration_number"] for row in api["items"]] == want


@pytest.mark.django_db
def test_download_rows_carry_status_dates_and_names(client, registry):
    revoked = RegistryEntry.objects.filter(status="revoked").first()
    data = client.get("/registry/registry.json", {"status": "revoked"}).json()
    row = next(r for r in data["results"] if r["registration_number"] == revoked.registration_number)
    assert row["status"] == "revoked"
    assert row["revoked_on"] == "2025-12-01"
    assert row["revocation_reason"] == "ไม่ปฏิบัติตามข้อบังคับ"
    assert row["province_name"] == "เชียงราย"
    assert row["registered_year_be"] == revoked.registered_on.year + 543
    assert row["verify_url"].endswith(f"/verify/{revoked.registration_number}/")
    # A revoked organization no longer carries the "(องค์กรสวัสดิการชุมชน)" suffix; a registered one does.
    assert "(องค์กรสวัสดิการชุมชน)" not in row["organization_name"]
    standing = client.get("/registry/registry.json", {"status": "registered"}).json()["results"][0]
    assert standing["organization_name"].endswith("(องค์กรสวัสดิการชุมชน)")


@pytest.mark.django_db
def test_registry_page_paginates(client, registry, monkeypatch):
    monkeypatch.setattr(public.views, "REGISTRY_PAGE_SIZE", 5)
    html = client.get("/registry/", {"province": "57"}).content.decode()
    assert len(numbers_on_page(html)) == 5
    assert "page=2" in html and "province=57" in html
    # The downloads are not cut to one page: they carry the whole filtered list.
    data = client.get("/registry/registry.json", {"province": "57"}).json()
    assert data["count"] == 12


@pytest.mark.django_db
def test_bad_filter_is_reported_not_guessed(client, registry):
    response = client.get("/registry/", {"year": "abc", "province": "57"})
    html = response.content.decode()
    assert 'class="field__error"' in html
    # The valid part of the filter still applies.
    assert numbers_on_page(html) == expected(
        RegistryEntry.objects.filter(network__province_code="57"), "-registered_on", "-registration_number"
    )
    api = client.get("/api/v1/registry/", {"province": "99x"})
    assert api.status_code == 400
    assert "province" in api.json()["message"]


@pytest.mark.django_db
def test_registry_english(client, registry):
    html = client.get("/en/registry/").content.decode()
    assert '<html lang="en">' in html
    assert "Chiang Rai" in html
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d", html)  # English dates, Common Era
    html = client.get("/registry/").content.decode()
    assert re.search(r"\d{1,2} [ก-๙]+ 25\d\d", html)  # Thai dates, Buddhist Era


@pytest.mark.django_db
def test_column_headers_sort(client, registry):
    html = client.get("/registry/", {"province": "57"}).content.decode()
    # Newest first by default; the date header then offers oldest first, keeping the filter.
    assert re.search(r'aria-sort="descending"><a href="\?province=57&amp;sort=date"', html)
    by_number = re.search(r'<a href="(\?province=57&amp;sort=number)"', html).group(1).replace("&amp;", "&")
    html = client.get("/registry/" + by_number).content.decode()
    assert numbers_on_page(html) == expected(RegistryEntry.objects.filter(network__province_code="57"),
                                             "registration_number")
    assert 'aria-sort="ascending"><a href="?province=57&amp;sort=number"' in html
