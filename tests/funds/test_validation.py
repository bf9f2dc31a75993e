"""Each rule of a fund's figures, with its message (asserted in English; Thai comes from the catalog)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from funds.models import AssessmentRound, FundGrade, FundRecord, FundYearReport
from funds.services import record_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (their msgids); Thai is the site's default language."""
    with translation.override("en"):
        yield


def errors_of(instance):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_members_at_founding_cannot_exceed_cumulative(paknam):
    errors = errors_of(FundRecord(network=paknam, members_at_founding=300, members_cumulative=200))
    assert "Members at founding (300) cannot be more than the cumulative members" in errors["members_at_founding"][0]


def test_members_now_cannot_exceed_cumulative(paknam):
    errors = errors_of(FundRecord(network=paknam, members_now=500, members_cumulative=400))
    assert "Members now (500)" in errors["members_now"][0]


def test_equal_counts_are_accepted(paknam):
    FundRecord(network=paknam, members_now=400, members_at_founding=400, members_cumulative=400).full_clean()


@pytest.mark.parametrize("field", ["savings_members", "matching_local", "matching_codi", "matching_other"])
def test_money_is_never_negative(paknam, field):
    errors = errors_of(FundRecord(network=paknam, **{field: Decimal("-1.00")}))
    assert errors[field] == ["An amount of money cannot be negative."]


@pytest.mark.parametrize("field", ["savings_members", "matching_codi"])
def test_the_database_refuses_negative_money(paknam, field):
    record = record_for(paknam)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundRecord.objects.filter(pk=record.pk).update(**{field: Decimal("-5")})


def test_a_christian_era_year_is_named_as_such(paknam):
    errors = errors_of(FundRecord(network=paknam, founded_year=2019))
    assert errors["founded_year"] == [
        "2019 looks like a Christian Era (ค.ศ.) year. Enter the Buddhist Era year (พ.ศ.): 2562."
    ]


@pytest.mark.parametrize("year", [2400, 2701, 12])
def test_implausible_years_are_refused(paknam, year):
    errors = errors_of(FundRecord(network=paknam, figures_year=year))
    assert errors["figures_year"] == ["Enter a Buddhist Era year (พ.ศ.) between 2500 and 2700."]


def test_a_future_year_is_refused(paknam):
    errors = errors_of(FundRecord(network=paknam, figures_year=2690))
    assert "has not begun yet" in errors["figures_year"][0]


def test_founding_date_must_agree_with_founding_year(paknam):
    errors = errors_of(FundRecord(network=paknam, founded_year=2555, founded_on=datetime.date(2010, 3, 1)))
    assert errors["founded_on"] == ["The founding date is in 2553 but the year founded says 2555; make them agree."]


def test_founding_date_fills_in_the_year(paknam):
    record = FundRecord(network=paknam, founded_on=datetime.date(2010, 3, 1))
    record.full_clean()
    assert record.founded_year == 2553


def test_one_report_per_fund_and_year(paknam):
    record = record_for(paknam)
    FundYearReport.objects.create(record=record, year=2567)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundYearReport.objects.create(record=record, year=2567)


def test_report_year_is_a_buddhist_year(paknam):
    errors = errors_of(FundYearReport(record=record_for(paknam), year=2024))
    assert "Christian Era" in errors["year"][0]


def test_a_grade_needs_a_justification(paknam):
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="อบต.")
    errors = errors_of(FundGrade(round=assessment_round, record=record_for(paknam), grade="A", justification="  "))
    assert "justification" in errors


def test_the_database_keeps_grades_to_a_to_d(paknam):
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="อบต.")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundGrade.objects.create(round=assessment_round, record=record_for(paknam), grade="E", justification="x")


def test_a_fund_is_graded_once_per_round(paknam):
    assessment_round = AssessmentRound.objects.create(province_code="11", held_on=datetime.date(2019, 6, 24), place="อบต.")
    record = record_for(paknam)
    FundGrade.objects.create(round=assessment_round, record=record, grade="A", justification="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundGrade.objects.create(round=assessment_round, record=record, grade="B", justification="y")
