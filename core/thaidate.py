"""Buddhist Era dates and Thai numerals, used by templates, e-mails and PDFs alike."""

import datetime

from django.utils import timezone

from .i18n import is_english

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_numerals(value) -> str:
    """'14 พฤษภาคม 2562' -> '๑๔ พฤษภาคม ๒๕๖๒'."""
    return str(value).translate(_THAI_DIGITS)


def buddhist_year(value: datetime.date | int) -> int:
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_thai_date(value, *, numerals: bool = False, short: bool = False) -> str:
    """A date in the Buddhist Era: '14 พฤษภาคม 2562' (or '๑๔ พฤษภาคม ๒๕๖๒' with numerals)."""
    if value in (None, ""):
        return ""
    d = _as_date(value)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{d.day} {months[d.month - 1]} {buddhist_year(d)}"
    return thai_numerals(text) if numerals else text


def format_english_date(value) -> str:
    if value in (None, ""):
        return ""
    d = _as_date(value)
    return f"{d.day} {ENGLISH_MONTHS[d.month - 1]} {d.year}"


def format_date_for_language(value, language: str | None) -> str:
    if is_english(language or "th"):
        return format_english_date(value)
    return format_thai_date(value)


def format_datetime_for_language(value, language: str | None = None) -> str:
    """A moment in the admin: '7 ธ.ค. 2569 13:22 น.' in Thai (Buddhist Era), '7 Dec 2026 13:22' in
    English. A plain date is given without a time."""
    if value in (None, ""):
        return ""
    english = is_english(language)
    if english:
        d = _as_date(value)
        text = f"{d.day} {ENGLISH_MONTHS[d.month - 1][:3]} {d.year}"
    else:
        text = format_thai_date(value, short=True)
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        text += f" {moment:%H:%M}" if english else f" {moment:%H:%M} น."
    return text
