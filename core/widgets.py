"""Dates in the admin as Thai users write them: day/month/Buddhist year, "14/05/2562".

The database keeps ordinary (Christian-era) dates; only the admin's text changes. Wagtail's own
AdminDateInput shows ISO dates and a picker with Christian-era years, so date fields of the project's
admin forms get `BuddhistDateField` instead (registered for every `models.DateField` of a Wagtail admin
form in `PagesConfig.ready()`; plain forms use the field directly). There is no picker: a text input
with a hint is keyboard- and screen-reader-friendly, and no picker we have shows Buddhist years.

Both admin languages show the Buddhist year: the dates are those of Thai documents (minutes of meeting
1/2562), and one format means a form reads and saves the same in either language. Input accepted, in
either language: "14/05/2562" (also with "." "-" or spaces, or as "14052562" from a phone's number
pad), "14 พ.ค. 2562" / "14 พฤษภาคม 2562", Thai digits, and an ISO date "2019-05-14" typed by hand
(which is also what scripts and the existing tests post).

Dates with a time (a page's go-live and expiry, Wagtail's schedule dialog) are written the same way with
the time after them, "14/05/2562 09:30" (`BuddhistDateTimeField`, registered in CoreConfig.ready()).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .thaidate import BE_OFFSET, THAI_MONTHS, THAI_MONTHS_SHORT

# A Buddhist year outside these bounds is a typing slip or a Christian-era year (2019 is 1476 B.E.).
MIN_BUDDHIST_YEAR = 2400
MAX_BUDDHIST_YEAR = 2700

_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


def _month_key(name):
    # "พ.ค.", "พค" and "พ.ค" are the same month.
    return name.replace(".", "").replace(" ", "")


_MONTH_NUMBERS = {
    **{_month_key(name): number for number, name in enumerate(THAI_MONTHS, start=1)},
    **{_month_key(name): number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)},
}
_WORDS = re.compile(r"^(\d{1,2})\s*([\u0E00-\u0E7F.\s]+?)\s*(?:พ\s*\.\s*ศ\s*\.?)?\s*(\d{4})$")

DATE_HINT = _("dd/mm/yyyy (B.E.)")
FORMAT_HELP = _("Day/month/year in the Buddhist Era, e.g. 14/05/2562.")


def format_buddhist_date(value):
    """date(2019, 5, 14) -> '14/05/2562'."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"


def _checked_buddhist_year(year):
    if MIN_BUDDHIST_YEAR <= year <= MAX_BUDDHIST_YEAR:
        return year - BE_OFFSET
    if MIN_BUDDHIST_YEAR - BE_OFFSET <= year <= MAX_BUDDHIST_YEAR - BE_OFFSET:
        # Most likely a Christian-era year: say what to write instead.
        raise ValidationError(
            _("The year must be in the Buddhist Era: for %(year)s C.E. write %(buddhist_year)s."),
            code="christian_year",
            params={"year": year, "buddhist_year": year + BE_OFFSET},
        )
    raise ValidationError(
        _("The year must be in the Buddhist Era, e.g. %(example)s."),
        code="not_buddhist_year",
        params={"example": timezone.localdate().year + BE_OFFSET},
    )


def _date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("There is no such date: check the day and the month."), code="impossible_date"
        ) from None


def parse_admin_date(text):
    """The date a user typed, as a `datetime.date` (Christian era); ValidationError with a message
    that says what to fix. Buddhist years only, except in an ISO date (year-month-day)."""
    text = " ".join(str(text).translate(_ARABIC_DIGITS).split())
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        if not MIN_BUDDHIST_YEAR <= year + BE_OFFSET <= MAX_BUDDHIST_YEAR:
            raise ValidationError(
                _(
                    "A date written year-month-day takes the Christian-era year, e.g. 2019-05-14; "
                    "or write 14/05/2562."
                ),
                code="iso_buddhist_year",
            )
        return _date(year, month, day)
    if match := _NUMERIC.match(text) or _COMPACT.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _date(_checked_buddhist_year(year), month, day)
    if match := _WORDS.match(text):
        day, month_name, year = match.groups()
        month = _MONTH_NUMBERS.get(_month_key(month_name))
        if month is not None:
            return _date(_checked_buddhist_year(int(year)), month, int(day))
    raise ValidationError(
        _("Enter the date as day/month/year in the Buddhist Era, e.g. 14/05/2562."), code="invalid"
    )


class BuddhistDateInput(forms.TextInput):
    """A plain text input showing '14/05/2562'. Text the user typed is shown back as typed (after an
    error, so that it can be corrected)."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": DATE_HINT,
            "autocomplete": "off",
            "size": 12,
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return format_buddhist_date(value)
        return super().format_value(value)


class BuddhistDateHiddenInput(forms.HiddenInput):
    """The hidden initial value of a field whose default is callable (a role's start: today) must read
    back as the same day, or the form would always count as changed."""

    def format_value(self, value):
        return BuddhistDateInput.format_value(self, value)


class FormatHintMixin:
    """The field's own format hint (`format_help`) after its help text: a placeholder disappears once
    something is typed. The field reads its own formats, so `input_formats` is not taken."""

    format_help = None

    def __init__(self, *, help_text="", **kwargs):
        kwargs.pop("input_formats", None)
        help_text = format_lazy("{} {}", help_text, self.format_help) if help_text else self.format_help
        super().__init__(help_text=help_text, **kwargs)


class BuddhistDateField(FormatHintMixin, forms.DateField):
    """A date field for the admin: reads and shows Buddhist Era dates, stores a `datetime.date`."""

    widget = BuddhistDateInput
    hidden_widget = BuddhistDateHiddenInput
    format_help = FORMAT_HELP

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return parse_admin_date(value)


# --- Date and time: Wagtail's publishing schedule (go-live / expiry) -------------------------------

DATETIME_HINT = _("dd/mm/yyyy hh:mm (B.E.)")
DATETIME_FORMAT_HELP = _("Day/month/year in the Buddhist Era and the time, e.g. 14/05/2562 09:30.")

# "<date> 09:30", "<date> 9.30 น.", "<date>T09:30:00" (ISO, as scripts post it); the date part is any
# form parse_admin_date reads.
_DATETIME = re.compile(
    r"^(?P<date>.+?)(?:\s*[T\s,]\s*(?P<hour>\d{1,2})\s*[:.]\s*(?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:\.\d+)?\s*(?:น\s*\.?)?)?$"
)


def format_buddhist_datetime(value):
    """datetime(2019, 5, 14, 9, 30) -> '14/05/2562 09:30' (in the current time zone when aware)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_buddhist_date(value)} {value:%H:%M}"


def parse_admin_datetime(text):
    """The moment a user typed, as a naive `datetime.datetime` (Christian era, wall-clock time);
    ValidationError with a message that says what to fix. A date alone is its midnight."""
    text = " ".join(str(text).translate(_ARABIC_DIGITS).split())
    match = _DATETIME.match(text)
    try:
        day = parse_admin_date(match["date"]) if match else parse_admin_date(text)
    except ValidationError as error:
        if error.code != "invalid":
            raise  # a precise message: a Christian-era year, no such date
        raise ValidationError(
            _(
                "Enter the date and time as day/month/year in the Buddhist Era and hours:minutes, "
                "e.g. 14/05/2562 09:30."
            ),
            code="invalid",
        ) from None
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    if not (hour <= 23 and minute <= 59 and second <= 59):
        raise ValidationError(
            _("There is no such time: hours go from 00 to 23 and minutes from 00 to 59."), code="impossible_time"
        )
    return datetime.datetime.combine(day, datetime.time(hour, minute, second))


class BuddhistDateTimeInput(forms.TextInput):
    """A plain text input showing '14/05/2562 09:30' (no picker: none we have shows Buddhist years)."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": DATETIME_HINT, "autocomplete": "off", "size": 18}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return format_buddhist_datetime(value)
        return super().format_value(value)


class BuddhistDateTimeHiddenInput(forms.HiddenInput):
    def format_value(self, value):
        return BuddhistDateTimeInput.format_value(self, value)


class BuddhistDateTimeField(FormatHintMixin, forms.DateTimeField):
    """A date-and-time field for the admin: reads and shows the Buddhist Era, stores an aware datetime
    of the current time zone (the user's, in the admin)."""

    widget = BuddhistDateTimeInput
    hidden_widget = BuddhistDateTimeHiddenInput
    format_help = DATETIME_FORMAT_HELP

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        if isinstance(value, datetime.date):
            return from_current_timezone(datetime.datetime.combine(value, datetime.time()))
        return from_current_timezone(parse_admin_datetime(value))
