"""Buddhist Era dates: Thai on Thai pages, official Thai numerals, the English form on English pages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.thaidate import buddhist_year, format_english_date, format_thai_date, thai_numerals

MEETING = datetime.date(2019, 5, 14)


def render(source, **context):
    return Template(source).render(Context(context))


def test_thai_date_in_the_buddhist_era():
    assert format_thai_date(MEETING) == "14 พฤษภาคม 2562"
    assert format_thai_date(datetime.date(2020, 1, 1)) == "1 มกราคม 2563"
    assert format_thai_date(MEETING, short=True) == "14 พ.ค. 2562"
    assert buddhist_year(MEETING) == 2562 and buddhist_year(2019) == 2562


def test_official_form_uses_thai_numerals():
    assert format_thai_date(MEETING, numerals=True) == "๑๔ พฤษภาคม ๒๕๖๒"
    assert thai_numerals("ครั้งที่ 1/2562") == "ครั้งที่ ๑/๒๕๖๒"


def test_aware_datetimes_are_dated_in_bangkok():
    # 20:00 UTC on the 13th is 03:00 on the 14th in Bangkok.
    moment = datetime.datetime(2019, 5, 13, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert format_thai_date(moment) == "14 พฤษภาคม 2562"


def test_empty_dates_render_empty():
    assert format_thai_date(None) == "" and format_english_date("") == ""


@pytest.mark.parametrize(
    "language, expected",
    [("th", "14 พฤษภาคม 2562"), ("en", "14 May 2019")],
)
def test_thai_date_filter_follows_the_page_language(language, expected):
    with translation.override(language):
        assert render("{{ d|thai_date }}", d=MEETING) == expected


def test_official_and_digit_filters_stay_thai_on_english_pages():
    with translation.override("en"):
        assert render("{{ d|thai_date_official }}", d=MEETING) == "๑๔ พฤษภาคม ๒๕๖๒"
        assert render("{{ n|thai_digits }}", n=25) == "๒๕"
        assert render("{{ d|buddhist_year }}", d=MEETING) == "2562"


def test_short_filter_by_language():
    with translation.override("th"):
        assert render("{{ d|thai_date_short }}", d=MEETING) == "14 พ.ค. 2562"
    with translation.override("en"):
        assert render("{{ d|thai_date_short }}", d=MEETING) == "14 May 2019"
