"""The Buddhist Era date field and widget on their own: what they show, what they read, what they refuse."""

import datetime

import pytest
from django import forms
from django.utils import translation

from core.widgets import BuddhistDateField, BuddhistDateInput, format_buddhist_date, parse_admin_date


class MeetingForm(forms.Form):
    meeting_date = BuddhistDateField(label="วันที่ประชุม")
    ended_on = BuddhistDateField(label="วันที่สิ้นสุด", required=False, help_text="Leave empty while held.")


def test_date_renders_in_the_buddhist_era():
    html = MeetingForm(initial={"meeting_date": datetime.date(2019, 5, 14)}).as_p()
    assert 'value="14/05/2562"' in html
    assert "2019" not in html


def test_input_is_a_labelled_numeric_text_box_with_a_hint():
    form = MeetingForm()
    html = str(form["meeting_date"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert 'id="id_meeting_date"' in html
    assert '<label for="id_meeting_date">' in form.as_p()
    with translation.override("en"):
        assert 'placeholder="dd/mm/yyyy (B.E.)"' in str(MeetingForm()["meeting_date"])
        # The hint is help text too (a placeholder is gone once typing starts), after any help text of its own.
        assert str(form.fields["meeting_date"].help_text) == "Day/month/year in the Buddhist Era, e.g. 14/05/2562."
        assert str(form.fields["ended_on"].help_text) == (
            "Leave empty while held. Day/month/year in the Buddhist Era, e.g. 14/05/2562."
        )


@pytest.mark.parametrize(
    "typed",
    [
        "14/05/2562",
        "14/5/2562",
        " 14 / 05 / 2562 ",
        "14.05.2562",
        "14-05-2562",
        "14052562",
        "๑๔/๐๕/๒๕๖๒",
        "14 พ.ค. 2562",
        "14 พค 2562",
        "14 พฤษภาคม 2562",
        "14 พฤษภาคม พ.ศ. 2562",
        "2019-05-14",
    ],
)
def test_buddhist_and_iso_dates_are_read_as_the_same_day(typed):
    form = MeetingForm({"meeting_date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["meeting_date"] == datetime.date(2019, 5, 14)


def test_round_trip_keeps_the_day():
    for day in (datetime.date(1900, 1, 1), datetime.date(2020, 2, 29), datetime.date(2026, 12, 31)):
        shown = BuddhistDateInput().format_value(day)
        assert shown == format_buddhist_date(day)
        assert parse_admin_date(shown) == day
    assert BuddhistDateInput().format_value(datetime.date(2026, 1, 5)) == "05/01/2569"
    # The bounds of a plausible Buddhist year are accepted.
    assert parse_admin_date("01/01/2400") == datetime.date(1857, 1, 1)
    assert parse_admin_date("31/12/2700") == datetime.date(2157, 12, 31)


def test_empty_optional_date_is_none_and_required_date_is_required():
    form = MeetingForm({"meeting_date": "", "ended_on": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["meeting_date"][0].code == "required"
    assert "ended_on" not in form.errors


@pytest.mark.parametrize(
    ("typed", "code", "english"),
    [
        ("14/05/2019", "christian_year", "The year must be in the Buddhist Era: for 2019 C.E. write 2562."),
        ("14/05/2157", "christian_year", "The year must be in the Buddhist Era: for 2157 C.E. write 2700."),
        ("14/05/2399", "not_buddhist_year", "The year must be in the Buddhist Era, e.g. "),
        ("14/05/1800", "not_buddhist_year", "The year must be in the Buddhist Era, e.g. "),
        ("14/05/2701", "not_buddhist_year", "The year must be in the Buddhist Era, e.g. "),
        ("31/04/2562", "impossible_date", "There is no such date: check the day and the month."),
        ("29/02/2561", "impossible_date", "There is no such date: check the day and the month."),
        ("14/13/2562", "impossible_date", "There is no such date: check the day and the month."),
        ("2562-05-14", "iso_buddhist_year", "A date written year-month-day takes the Christian-era year"),
        ("14 เมษา 2562", "invalid", "Enter the date as day/month/year in the Buddhist Era, e.g. 14/05/2562."),
        ("14/05/62", "invalid", "Enter the date as day/month/year in the Buddhist Era, e.g. 14/05/2562."),
        ("tomorrow", "invalid", "Enter the date as day/month/year in the Buddhist Era, e.g. 14/05/2562."),
    ],
)
def test_bad_dates_are_refused_with_a_message_that_says_what_to_fix(typed, code, english):
    with translation.override("en"):
        form = MeetingForm({"meeting_date": typed})
        assert not form.is_valid()
        (error,) = form.errors.as_data()["meeting_date"]
        assert error.code == code
        assert form.errors["meeting_date"][0].startswith(english)
    assert "meeting_date" not in form.cleaned_data


def test_the_message_is_in_thai_by_default():
    with translation.override("th"):
        form = MeetingForm({"meeting_date": "14/05/2019"})
        form.is_valid()
        assert form.errors["meeting_date"] == ["ปีต้องเป็นปีพุทธศักราช: ค.ศ. 2019 ให้กรอกเป็น 2562"]
        assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in str(MeetingForm()["meeting_date"])


def test_hidden_initial_reads_back_as_the_same_day():
    """A role's start defaults to today (a callable default), for which Django adds a hidden initial value."""

    class RoleForm(forms.Form):
        started_on = BuddhistDateField(initial=lambda: datetime.date(2026, 11, 23), show_hidden_initial=True)

    hidden = RoleForm()["started_on"].as_hidden(only_initial=True)
    assert 'name="initial-started_on"' in hidden and 'value="23/11/2569"' in hidden
    bound = RoleForm({"started_on": "23/11/2569", "initial-started_on": "23/11/2569"})
    assert bound.is_valid(), bound.errors
    assert not bound.has_changed()
    assert RoleForm({"started_on": "24/11/2569", "initial-started_on": "23/11/2569"}).has_changed()
