"""Province and district summaries: the numbers, the charts, CSV and XLSX that parse back, the public page."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from funds import services, summaries
from funds.models import AssessmentRound
from networks.models import NetworkLevel, NetworkPage
from tests.queries import count_queries
from tests.scoped import built_once_per_module, refetched

from .conftest import make_codi, make_sp_secretary, network_by_code

pytestmark = pytest.mark.django_db


def build_graded():
    """Five funds of Mueang Samut Prakan (1101) and two of Bang Bo (1102) with figures; grades from two
    rounds (the later one counts); a Chiang Rai fund that must never be counted in Samut Prakan. Built
    once for the module: the tests read it, and what a test writes rolls back. Its `codi` and `sp_secretary`
    are the fixtures' of the same names (tests/funds/conftest.py)."""
    codi, sp_secretary = make_codi(), make_sp_secretary(network_by_code("11"))
    funds = list(NetworkPage.objects.filter(level=NetworkLevel.TAMBON, area_code__startswith="1101").order_by("area_code")[:5])
    funds += list(NetworkPage.objects.filter(level=NetworkLevel.TAMBON, area_code__startswith="1102").order_by("area_code")[:2])
    statuses = ["operating", "operating", "dormant", "operating", "dissolved", "operating", "dormant"]
    for i, (network, status) in enumerate(zip(funds, statuses, strict=True)):
        services.save_year_report(network, 2568, {
            "status": status, "members_now": 100 * (i + 1), "members_cumulative": 1000,
            "savings_members": Decimal("1000.50"), "matching_local": Decimal(i * 100), "matching_codi": Decimal("2000"),
            "matching_other": None,
        }, {}, user=sp_secretary)
    old = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    new = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2024, 6, 24), place="y")
    services.grade_funds(old, [(funds[0], "D", "ข้อสังเกตรอบแรก"), (funds[1], "D", "ข้อสังเกตรอบแรก")], user=codi)
    services.grade_funds(new, [(funds[0], "A", "ข้อสังเกตรอบสอง"), (funds[2], "B", "ข้อสังเกตรอบสอง"), (funds[5], "C", "ข้อสังเกตรอบสอง"),
                               (funds[6], "D", "ข้อสังเกตรอบสอง")], user=codi)
    cr = NetworkPage.objects.get(area_code="570101")
    services.save_year_report(cr, 2568, {"status": "operating", "members_now": 99999, "members_cumulative": 99999}, {},
                              user=codi)
    return funds


_graded = built_once_per_module(build_graded, "samut_prakan_built_once", "chiang_rai_built_once")


@pytest.fixture
def graded(_graded, sp, chiang_rai):
    return refetched(_graded)


def test_province_summary_numbers(graded):
    summary = summaries.build_summary("11")
    tambons = NetworkPage.objects.filter(level=NetworkLevel.TAMBON, province_code="11").count()
    total = summary.total
    assert total.funds == tambons
    # funds[1] was graded D in the old round only: its current grade is still D (latest round that graded it).
    assert total.grades == {"A": 1, "B": 1, "C": 1, "D": 2, "none": tambons - 5}
    assert total.statuses == {"operating": 4, "dormant": 2, "dissolved": 1, "none": tambons - 7}
    assert total.members_now == sum(100 * (i + 1) for i in range(7))
    assert total.money["savings_members"] == Decimal("7003.50")
    assert total.money["matching_local"] == Decimal(sum(i * 100 for i in range(7)))
    assert total.money["matching_other"] == 0
    rows = {row.code: row for row in summary.rows}
    assert len(rows) == 6
    assert rows["1101"].members_now == 1500 and rows["1102"].members_now == 1300
    assert rows["1102"].grades["C"] == 1 and rows["1102"].statuses["dormant"] == 1


def test_district_summary(graded):
    summary = summaries.build_summary("11", "1102")
    assert [row.code for row in summary.rows] == ["1102"]
    assert summary.total.members_now == 1300


def test_csv_and_xlsx_parse_back(graded, client, officer_11):
    client.force_login(officer_11)
    response = client.get(reverse("funds:summary_csv"), {"province": "11"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    summary = summaries.build_summary("11")
    assert len(rows) == 1 + len(summary.rows) + 1
    total = rows[-1]
    headers = rows[0]
    assert int(total[headers.index(str(summaries.table_headers()[2]))]) == summary.total.funds
    assert Decimal(total[-1]) == summary.total.money_total

    response = client.get(reverse("funds:summary_xlsx"), {"province": "11"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == str(summaries.table_headers()[0])
    data = values[2:]
    assert [row[0] for row in data[:-1]] == ["1101", "1102", "1103", "1104", "1105", "1106"]
    assert data[-1][2] == summary.total.funds
    assert Decimal(str(data[-1][-1])) == summary.total.money_total
    assert sum(row[2] for row in data[:-1]) == data[-1][2]


def test_summary_screen_has_accessible_charts(graded, client, officer_11, django_assert_max_num_queries):
    client.force_login(officer_11)
    url = reverse("funds:summary") + "?province=11"
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    content = response.content.decode()
    assert content.count('role="img"') == 3
    assert '<title id="chart-grades-title">' in content and '<desc id="chart-grades-desc">' in content
    assert "<table" in content and "<svg" in content and "src=\"http" not in content  # drawn here, nothing fetched


def test_district_committee_sees_only_its_district(graded, client, mueang_chair):
    client.force_login(mueang_chair)
    # Asked for the province, it is shown its own district only.
    response = client.get(reverse("funds:summary"), {"province": "11"})
    assert [row.code for row in response.context["summary"].rows] == ["1101"]
    assert client.get(reverse("funds:summary"), {"province": "11", "district": "1101"}).status_code == 200
    assert client.get(reverse("funds:summary_xlsx"), {"province": "11", "district": "1102"}).status_code == 403


# --- The public page ------------------------------------------------------------------------------


def test_public_page_shows_counts_and_no_personal_data(graded, client, sp_secretary, codi):
    response = client.get("/funds/11/")
    assert response.status_code == 200
    content = response.content.decode()
    summary = summaries.build_summary("11")
    counts = response.context["counts"]
    assert counts[-1]["funds"] == summary.total.funds
    assert counts[-1]["grades"] == summary.total.grade_counts
    # No names of people or funds, no members or money, no justifications.
    for secret in ("sp_secretary", "codi", "99999", "1000.50", "1,000.50", "7003", "ข้อสังเกต", graded[0].title):
        assert secret not in content, secret
    assert "ผลเป็นรูปธรรม" in content or "concrete results" in content


def test_public_page_in_english_and_unknown_province(graded, client):
    with translation.override("en"):
        response = client.get("/en/funds/11/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert client.get("/funds/99/").status_code == 404


def test_public_page_queries_are_bounded(graded, client, chiang_rai, codi):
    few = count_queries(client, "/funds/57/")
    assessment_round = AssessmentRound.objects.create(province_code="57", held_on=datetime.date(2019, 5, 14), place="x")
    for network in NetworkPage.objects.filter(level=NetworkLevel.TAMBON, province_code="57")[:40]:
        services.grade_funds(assessment_round, [(network, "B", "ok")], user=codi)
    assert count_queries(client, "/funds/57/") == few <= 5


def test_the_provincial_network_page_links_to_its_statistics(client, sp):
    sp.save_revision().publish()
    response = client.get(sp.url)
    assert response.status_code == 200
    assert 'href="/funds/11/"' in response.content.decode()


def test_a_district_committee_opens_on_its_district(graded, client, mueang_chair):
    client.force_login(mueang_chair)
    response = client.get(reverse("funds:summary"))
    assert response.status_code == 200
    assert [row.code for row in response.context["summary"].rows] == ["1101"]
