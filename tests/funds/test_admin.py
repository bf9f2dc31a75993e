"""The fund screens through HTTP: the list in the user's area, a fund, the yearly report, grading a
district's group, with bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from funds import services
from funds.models import AssessmentGroup, AssessmentRound, FundGrade, FundRecord, FundYearReport
from networks.models import NetworkLevel, NetworkPage
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

REPORT_POST = {
    "year": "2567", "status": "operating", "members_now": "500", "members_at_founding": "120",
    "members_cumulative": "640", "savings_members": "182500.00", "matching_local": "50000",
    "matching_codi": "120000", "matching_other": "", "members_elders": "180", "members_children": "",
    "members_disabled": "12", "members_informal_workers": "", "members_other": "", "note": "นับใหม่",
}



def sp_funds():
    return NetworkPage.objects.filter(level=NetworkLevel.TAMBON, province_code="11").order_by("area_code")


def test_the_list_shows_the_users_area_only(client, sp, chiang_rai, officer_11, mueang_chair, paknam):
    client.force_login(officer_11)
    response = client.get(reverse("funds:index"))
    assert response.status_code == 200
    names = {fund.title for fund in response.context["funds"]}
    assert paknam.title in names
    assert response.context["page_obj"].paginator.count == sp_funds().count()
    assert not any(fund.province_code == "57" for fund in response.context["funds"])

    client.force_login(mueang_chair)
    response = client.get(reverse("funds:index"))
    assert {fund.area_code[:4] for fund in response.context["funds"]} == {"1101"}


def test_the_list_filters_by_status_and_grade(client, sp, codi, paknam, bang_bo_fund):
    services.set_fund_values(paknam, {"status": "dormant"}, user=codi, reason="r", origin="o")
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    services.grade_funds(assessment_round, [(bang_bo_fund, "A", "ดีมาก")], user=codi)
    client.force_login(codi)
    response = client.get(reverse("funds:index"), {"province": "11", "status": "dormant"})
    assert [f.pk for f in response.context["funds"]] == [paknam.pk]
    response = client.get(reverse("funds:index"), {"province": "11", "district": "1102"})
    assert {f.area_code[:4] for f in response.context["funds"]} == {"1102"}
    assert ("1102", "บางบ่อ") in response.context["district_choices"]
    response = client.get(reverse("funds:index"), {"province": "11", "grade": "A"})
    assert [f.pk for f in response.context["funds"]] == [bang_bo_fund.pk]
    assert [f.grade for f in response.context["funds"]] == ["A"]


def test_list_queries_do_not_grow_with_the_funds(client, sp, chiang_rai, codi):
    client.force_login(codi)
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    few = count_queries(client, reverse("funds:index"))
    for network in sp_funds()[:30]:
        services.set_fund_values(network, {"members_now": 100}, user=codi, reason="r", origin="o")
        services.grade_funds(assessment_round, [(network, "B", "ok")], user=codi)
    many = count_queries(client, reverse("funds:index"))
    assert many == few
    assert many <= 20  # the admin's own (session, user, menu, permissions) and the user's roles included


def test_fund_screen_shows_record_reports_history_and_grades(client, sp, paknam, paknam_member, codi,
                                                              django_assert_max_num_queries):
    services.save_year_report(paknam, 2567, {"members_now": 500, "members_cumulative": 640}, {"elders": 180},
                              user=paknam_member)
    services.save_year_report(paknam, 2568, {"members_now": 520, "members_cumulative": 660}, {}, user=paknam_member)
    for held_on, grade in ((datetime.date(2019, 6, 24), "C"), (datetime.date(2024, 6, 1), "B")):
        assessment_round = AssessmentRound.objects.create(province_code="11", held_on=held_on, place="อบต.บางพลีใหญ่")
        services.grade_funds(assessment_round, [(paknam, grade, f"เกรด {grade}")], user=codi)
    client.force_login(paknam_member)
    url = reverse("funds:fund", args=(paknam.pk,))
    client.get(url)
    with django_assert_max_num_queries(30), translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [r.year for r in response.context["reports"]] == [2568, 2567]
    assert [g.grade for g in response.context["grades"]] == ["B", "C"]
    assert response.context["current_grade"].grade == "B"
    assert response.context["can_edit"]
    content = response.content.decode()
    assert "เกรด C" in content and "yearly report 2568" in content
    assert len(response.context["history"]) == 3  # created, then the two reports


def test_committee_enters_a_yearly_report(client, sp, paknam, mueang_chair, mueang_sp):
    client.force_login(mueang_chair)
    response = client.post(reverse("funds:report_add", args=(paknam.pk,)), REPORT_POST)
    assert response.status_code == 302
    report = FundYearReport.objects.get(record__network=paknam, year=2567)
    assert report.entered_by == mueang_chair and report.entered_for == mueang_sp
    assert dict(report.members_by_category.values_list("category", "count")) == {"elders": 180, "disabled": 12}
    record = FundRecord.objects.get(network=paknam)
    assert (record.members_now, record.matching_codi, record.figures_year) == (500, Decimal("120000"), 2567)
    assert record.history.first().history_user == mueang_chair

    # Editing the year: the year is fixed, the figures change.
    url = reverse("funds:report_edit", args=(paknam.pk, 2567))
    assert client.get(url).status_code == 200
    response = client.post(url, {**REPORT_POST, "members_now": "510", "year": "2500"})
    assert response.status_code == 302
    assert FundYearReport.objects.get(record__network=paknam).members_now == 510
    assert not FundYearReport.objects.filter(year=2500).exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"members_at_founding": "700"}, "members_at_founding", "cannot be more than the cumulative members"),
    ({"savings_members": "-10"}, "savings_members", "An amount of money cannot be negative."),
    ({"year": "2024"}, "year", "looks like a Christian Era"),
    ({"members_elders": "900"}, "members_elders", "cannot be more than the members now (500)"),
    ({"members_children": "-1"}, "members_children", "A number of members cannot be negative."),
])
def test_a_wrong_report_is_refused_with_a_message(client, sp, paknam, paknam_member, changes, field, message):
    # The admin speaks each user's chosen language (Thai by default); the messages are asserted in English.
    UserProfile.objects.update_or_create(user=paknam_member, defaults={"preferred_language": "en"})
    client.force_login(paknam_member)
    with translation.override("en"):
        response = client.post(reverse("funds:report_add", args=(paknam.pk,)), {**REPORT_POST, **changes},
                               HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("en"):  # lazy errors are worded when read
        assert any(message in str(error) for error in response.context["form"].errors.as_data()[field][0])
    assert not FundYearReport.objects.exists()
    assert not FundRecord.objects.exclude(members_now=None).exists()


def test_a_second_report_for_the_same_year_is_refused(client, sp, paknam, paknam_member):
    client.force_login(paknam_member)
    url = reverse("funds:report_add", args=(paknam.pk,))
    assert client.post(url, REPORT_POST).status_code == 302
    response = client.post(url, {**REPORT_POST, "members_now": "1"})
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert FundYearReport.objects.get().members_now == 500


def test_grading_a_districts_group_in_one_screen(client, sp, officer_11, codi):
    client.force_login(officer_11)
    response = client.post(reverse("funds:round_add"), {
        "province_code": "11", "held_on": "24/06/2562", "place": "ห้องประชุม อบต.บางพลีใหญ่",
        "assessors": [codi.pk], "assessor_names": "ผู้แทน พอช.\nผู้แทน พมจ.",
    })
    assert response.status_code == 302
    assessment_round = AssessmentRound.objects.get()
    assert assessment_round.held_on == datetime.date(2019, 6, 24)
    assert sorted(assessment_round.groups.values_list("district_code", flat=True)) == [
        "1101", "1102", "1103", "1104", "1105", "1106"]
    group = AssessmentGroup.objects.get(round=assessment_round, district_code="1102")
    url = reverse("funds:grade_group", args=(assessment_round.pk, group.pk))

    client.force_login(codi)  # a named assessor
    response = client.get(url)
    assert response.status_code == 200
    funds = response.context["form"].networks
    assert funds and all(f.area_code.startswith("1102") for f in funds)
    data = {f"grade_{f.pk}": "" for f in funds}
    data |= {f"grade_{funds[0].pk}": "A", f"justification_{funds[0].pk}": "ผลเป็นรูปธรรม",
             f"grade_{funds[1].pk}": "D", f"justification_{funds[1].pk}": ""}
    with translation.override("en"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("en"):  # the errors are lazy: worded when read
        assert response.context["form"].errors[f"justification_{funds[1].pk}"] == [
            "Give a short justification for the grade."]
    assert not FundGrade.objects.exists()

    data[f"justification_{funds[1].pk}"] = "หยุดออมมาปีกว่า"
    assert client.post(url, data).status_code == 302
    assert dict(FundGrade.objects.values_list("record__network_id", "grade")) == {funds[0].pk: "A", funds[1].pk: "D"}
    assert FundGrade.objects.filter(group=group).count() == 2
    response = client.get(reverse("funds:round", args=(assessment_round.pk,)))
    assert response.status_code == 200
    assert dict((g.district_code, g.graded) for g in response.context["groups"])["1102"] == 2
    assert client.get(reverse("funds:rounds")).status_code == 200


def test_grading_screen_queries_are_bounded(client, sp, codi):
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    group = assessment_round.groups.create(district_code="1102")
    client.force_login(codi)
    url = reverse("funds:grade_group", args=(assessment_round.pk, group.pk))
    before = count_queries(client, url)
    for network in sp_funds().filter(area_code__startswith="1102"):
        services.grade_funds(assessment_round, [(network, "C", "กำลังพัฒนา")], user=codi, group=group)
    assert count_queries(client, url) == before
