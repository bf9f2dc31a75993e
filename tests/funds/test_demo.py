"""The demo's funds: Samut Prakan's 25 funds with a report 2568 and the grades of the round of 24 June
2562, in groups by district; a second run changes nothing."""

import datetime

import geothai
import pytest

from demo import content
from demo.funds import REPORT_YEAR, load_fund_demo
from funds.models import AssessmentRound, FundGrade, FundRecord, FundYearReport
from funds.services import current_grade
from networks.models import NetworkLevel, NetworkPage
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_funds_are_loaded_once(sp, officer_11, codi):
    chosen = content.choose_member_funds([[t.code for t in geothai.subdistricts(d.code)]
                                          for d in geothai.districts("11")])
    funds = list(NetworkPage.objects.filter(level=NetworkLevel.TAMBON, area_code__in=chosen).order_by("area_code"))
    users = {"sp_secretary": make_user("sp_secretary"), "codi_staff": codi, "officer_11": officer_11}
    assert len(funds) == 25

    changes = load_fund_demo(funds, sp, users)
    assert changes
    assert FundRecord.objects.count() == 25
    assert FundYearReport.objects.filter(year=REPORT_YEAR).count() == 25
    assessment_round = AssessmentRound.objects.get()
    assert assessment_round.held_on == datetime.date(2019, 6, 24)
    assert assessment_round.groups.count() == 6  # one group per district, as at the meeting
    assert FundGrade.objects.count() == 25
    assert set(FundGrade.objects.values_list("grade", flat=True)) == {"A", "B", "C", "D"}
    for record in FundRecord.objects.all():
        record.full_clean()
        assert record.figures_year == REPORT_YEAR and current_grade(record)
        assert record.history.filter(history_change_reason__startswith=f"yearly report {REPORT_YEAR}").exists()

    assert load_fund_demo(funds, sp, users) == []
    assert FundYearReport.objects.count() == 25 and FundGrade.objects.count() == 25
