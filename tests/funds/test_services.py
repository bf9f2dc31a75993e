"""Writing a fund's figures, yearly reports and grades: history, the latest year, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funds import services
from funds.models import AssessmentRound, FundGrade, FundRecord, FundYearMembers, FundYearReport

pytestmark = pytest.mark.django_db


def test_record_for_makes_the_record_once(paknam):
    first = services.record_for(paknam)
    assert services.record_for(paknam) == first
    assert FundRecord.objects.filter(network=paknam).count() == 1


def test_set_fund_values_keeps_who_why_and_where(paknam, officer_11):
    services.set_fund_values(paknam, {"members_now": 420, "status": "dormant"}, user=officer_11,
                             reason="checked at the district meeting", origin="survey 2562")
    services.set_fund_values(paknam, {"members_now": 450}, user=officer_11, reason="new count", origin="program")
    record = FundRecord.objects.get(network=paknam)
    assert (record.members_now, record.status) == (450, "dormant")
    history = list(record.history.order_by("history_date", "history_id"))
    assert [h.members_now for h in history] == [None, 420, 450]
    assert history[1].history_change_reason == "survey 2562: checked at the district meeting"
    assert history[2].history_change_reason == "program: new count"
    assert history[2].history_user == officer_11
    # The figures as they were stay readable.
    assert record.history.as_of(history[1].history_date).members_now == 420


def test_a_refused_value_saves_nothing(paknam, officer_11):
    services.set_fund_values(paknam, {"members_cumulative": 300}, user=officer_11, reason="r", origin="o")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.set_fund_values(paknam, {"members_at_founding": 400, "members_now": 10}, user=officer_11,
                                 reason="r", origin="o")
    assert "members_at_founding" in caught.value.message_dict
    record = FundRecord.objects.get(network=paknam)
    assert (record.members_at_founding, record.members_now) == (None, None)
    assert record.history.count() == 2  # created empty, then cumulative


def test_a_reason_is_required(paknam, officer_11):
    with translation.override("en"), pytest.raises(ValidationError, match="reason"):
        services.set_fund_values(paknam, {"members_now": 1}, user=officer_11, reason=" ", origin="o")


def test_only_figures_may_be_set(paknam, officer_11):
    with pytest.raises(ValidationError):
        services.set_fund_values(paknam, {"network": None}, user=officer_11, reason="r", origin="o")


REPORT = {"status": "operating", "members_now": 500, "members_at_founding": 120, "members_cumulative": 640,
          "savings_members": Decimal("182500.00"), "matching_local": Decimal("50000"),
          "matching_codi": Decimal("120000"), "matching_other": Decimal("0")}


def test_the_latest_report_updates_the_record(paknam, sp_secretary, sp):
    report = services.save_year_report(paknam, 2567, REPORT, {"elders": 180, "children": 60}, user=sp_secretary,
                                       entered_for=sp, note="")
    record = FundRecord.objects.get(network=paknam)
    assert (record.members_now, record.figures_year, record.savings_members) == (500, 2567, Decimal("182500.00"))
    assert record.history.order_by("-history_date", "-history_id").first().history_change_reason.startswith(
        "yearly report 2567: ")
    assert dict(report.members_by_category.values_list("category", "count")) == {"elders": 180, "children": 60}
    assert report.entered_by == sp_secretary and report.entered_for == sp

    services.save_year_report(paknam, 2568, {**REPORT, "members_now": 520}, {}, user=sp_secretary)
    assert FundRecord.objects.get(network=paknam).members_now == 520
    # A correction of an older year leaves the record at the latest year's figures.
    services.save_year_report(paknam, 2567, {**REPORT, "members_now": 490}, {"elders": 170, "children": None}, user=sp_secretary,
                              note="recounted")
    record = FundRecord.objects.get(network=paknam)
    assert (record.members_now, record.figures_year) == (520, 2568)
    old = FundYearReport.objects.get(record=record, year=2567)
    assert old.members_now == 490
    assert list(old.history.order_by("history_date").values_list("members_now", flat=True)) == [500, 490]
    assert dict(old.members_by_category.values_list("category", "count")) == {"elders": 170}


def test_a_refused_report_saves_nothing(paknam, sp_secretary):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.save_year_report(paknam, 2567, REPORT, {"elders": 900}, user=sp_secretary)
    assert "cannot be more than the members now (500)" in caught.value.message_dict["elders"][0]
    assert not FundYearReport.objects.exists()
    assert not FundYearMembers.objects.exists()
    assert not FundRecord.objects.exclude(members_now=None).exists()

    with pytest.raises(ValidationError):
        services.save_year_report(paknam, 2567, {**REPORT, "members_at_founding": 700}, {}, user=sp_secretary)
    assert not FundYearReport.objects.exists()


def make_round(held_on, province_code="11"):
    return AssessmentRound.objects.create(province_code=province_code, held_on=held_on, place="อบต.บางพลีใหญ่")


def test_current_grade_is_the_latest_rounds(paknam, bang_bo_fund, codi):
    older, newer = make_round(datetime.date(2019, 6, 24)), make_round(datetime.date(2023, 7, 1))
    services.grade_funds(newer, [(paknam, "B", "strong committee")], user=codi)
    services.grade_funds(older, [(paknam, "D", "stopped saving"), (bang_bo_fund, "C", "developing")], user=codi)
    assert services.current_grade(services.record_for(paknam)) == "B"
    assert services.current_grade(services.record_for(bang_bo_fund)) == "C"
    assert list(FundGrade.objects.filter(record__network=paknam).values_list("grade", flat=True)) == ["B", "D"]


def test_regrading_in_a_round_keeps_the_history_and_clearing_removes(paknam, codi):
    assessment_round = make_round(datetime.date(2019, 6, 24))
    assert services.grade_funds(assessment_round, [(paknam, "C", "first look")], user=codi) == 1
    assert services.grade_funds(assessment_round, [(paknam, "C", "first look")], user=codi) == 0
    services.grade_funds(assessment_round, [(paknam, "B", "after the accounts were shown")], user=codi)
    grade = FundGrade.objects.get(round=assessment_round)
    assert [h.grade for h in grade.history.order_by("history_date", "history_id")] == ["C", "B"]
    assert grade.history.first().history_user == codi
    services.grade_funds(assessment_round, [(paknam, "", "")], user=codi)
    assert not FundGrade.objects.exists()


def test_grading_is_all_or_nothing(paknam, bang_bo_fund, codi):
    assessment_round = make_round(datetime.date(2019, 6, 24))
    with pytest.raises(ValidationError) as caught:
        services.grade_funds(assessment_round, [(paknam, "A", "clear results"), (bang_bo_fund, "B", "")], user=codi)
    assert list(caught.value.message_dict) == [bang_bo_fund.pk]
    assert not FundGrade.objects.exists()
