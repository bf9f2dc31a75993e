"""Who may see, correct and grade a fund: per role and per province, on the server."""

import datetime

import pytest
from django.urls import reverse

from funds.models import AssessmentRound, FundYearReport
from funds.permissions import (
    can_edit_fund,
    can_grade,
    can_view_fund,
    can_view_summary,
    provinces_user_can_manage,
)
from tests.factories import make_committee_member

pytestmark = pytest.mark.django_db


def test_managers_by_province(officer_11, codi, stranger, paknam_member, admin_user):
    assert provinces_user_can_manage(officer_11) == {"11"}
    assert {"11", "57", "10"} <= provinces_user_can_manage(codi)  # support staff work across the country
    assert provinces_user_can_manage(admin_user) == provinces_user_can_manage(codi)
    assert provinces_user_can_manage(stranger) == set()
    assert provinces_user_can_manage(paknam_member) == set()


def test_the_funds_own_committee_and_those_above_it_edit(paknam, bang_bo_fund, paknam_member, mueang_chair,
                                                        sp_secretary):
    assert can_edit_fund(paknam_member, paknam)
    assert not can_edit_fund(paknam_member, bang_bo_fund)
    assert can_edit_fund(mueang_chair, paknam)  # its district network
    assert not can_edit_fund(mueang_chair, bang_bo_fund)  # another district
    assert can_edit_fund(sp_secretary, paknam) and can_edit_fund(sp_secretary, bang_bo_fund)  # its province


def test_committees_never_touch_another_province(cr_fund, sp_secretary, mueang_chair, paknam_member):
    for user in (sp_secretary, mueang_chair, paknam_member):
        assert not can_view_fund(user, cr_fund)
        assert not can_edit_fund(user, cr_fund)


def test_regional_committee_reads_but_does_not_edit(sp, paknam):
    region = sp.get_parent().specific
    member = make_committee_member(region, "region_member")
    assert can_view_fund(member, paknam)
    assert not can_edit_fund(member, paknam)


def test_officers_read_and_grade_their_own_province_only(paknam, cr_fund, officer_11, officer):
    assert can_view_fund(officer_11, paknam) and not can_view_fund(officer_11, cr_fund)
    assert can_view_fund(officer, cr_fund) and not can_view_fund(officer, paknam)
    # Officers grade and resolve; the figures are the committees' to enter.
    assert not can_edit_fund(officer_11, paknam)
    sp_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    assert can_grade(officer_11, sp_round) and not can_grade(officer, sp_round)
    assert can_view_summary(officer_11, "11") and not can_view_summary(officer_11, "57")


def test_support_staff_read_and_grade_everywhere(paknam, cr_fund, codi):
    assert can_view_fund(codi, paknam) and can_view_fund(codi, cr_fund)
    assert not can_edit_fund(codi, paknam)


def test_a_named_assessor_grades_that_round(paknam_member):
    sp_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    assert not can_grade(paknam_member, sp_round)
    sp_round.assessors.add(paknam_member)
    assert can_grade(paknam_member, sp_round)


def test_local_office_reads_the_fund_it_serves(paknam, bang_bo_fund, paknam_office):
    assert can_view_fund(paknam_office, paknam)
    assert not can_view_fund(paknam_office, bang_bo_fund)
    assert not can_edit_fund(paknam_office, paknam)


def test_summaries_by_committee_level(sp_secretary, mueang_chair, paknam_member):
    assert can_view_summary(sp_secretary, "11") and can_view_summary(sp_secretary, "11", "1102")
    assert not can_view_summary(mueang_chair, "11")
    assert can_view_summary(mueang_chair, "11", "1101") and not can_view_summary(mueang_chair, "11", "1102")
    assert not can_view_summary(paknam_member, "11", "1101")


def test_nobody_else(paknam, stranger, client):
    assert not can_view_fund(stranger, paknam)
    client.force_login(stranger)
    for url in (reverse("funds:index"), reverse("funds:fund", args=(paknam.pk,)), reverse("funds:rounds"),
                reverse("funds:summary") + "?province=11", reverse("funds:report_add", args=(paknam.pk,))):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("view", ["funds:fund", "funds:report_add"])
def test_the_server_refuses_another_provinces_fund(cr_fund, officer_11, sp_secretary, client, view):
    for user in (officer_11, sp_secretary):
        client.force_login(user)
        assert client.get(reverse(view, args=(cr_fund.pk,))).status_code == 403


def test_a_reader_cannot_post_a_report(paknam, officer_11, client):
    client.force_login(officer_11)
    url = reverse("funds:report_add", args=(paknam.pk,))
    assert client.post(url, {"year": "2567", "status": "operating"}).status_code == 403
    assert not FundYearReport.objects.exists()


def test_grading_another_provinces_round_is_refused(officer, client):
    sp_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="x")
    group = sp_round.groups.create(district_code="1101")
    client.force_login(officer)
    assert client.get(reverse("funds:round", args=(sp_round.pk,))).status_code == 403
    assert client.post(reverse("funds:grade_group", args=(sp_round.pk, group.pk)), {}).status_code == 403
    response = client.post(reverse("funds:round_add"), {"province_code": "11", "held_on": "24/06/2562", "place": "x"})
    assert response.status_code == 200 and not AssessmentRound.objects.filter(place="x").exclude(pk=sp_round.pk).exists()
