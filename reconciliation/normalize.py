"""Reading one cell of a source: Thai and Arabic digits, counts, money, Buddhist years, fund status,
and the names of funds and districts as the three databases spell them. Pure functions, no database."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543
# A year below this is taken as Christian Era (ค.ศ.) and converted; the sources are asked for B.E.
FIRST_BE_YEAR = 2400
FIRST_CE_YEAR = 1900

# Words a fund's or district's name is written with in one source and not in another. Longest first,
# so that "กองทุนสวัสดิการชุมชน" goes before "กองทุน".
NAME_PREFIXES = (
    "กองทุนสวัสดิการชุมชน", "กองทุนสวัสดิการ", "กองทุน",
    "องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาล", "อบต.", "ทต.",
    "ตำบล", "แขวง", "ต.",
)
NAME_SUFFIXES = ("(องค์กรสวัสดิการชุมชน)", "องค์กรสวัสดิการชุมชน")
DISTRICT_PREFIXES = ("เครือข่ายสวัสดิการชุมชน", "เครือข่าย", "อำเภอ", "เขต", "กิ่งอำเภอ", "อ.")

# What each source writes for a fund's status (compared without spaces, lower case).
STATUS_WORDS = {
    "operating": ("ดำเนินการ", "ดำเนินการอยู่", "ยังดำเนินการ", "ดำเนินงาน", "ดำเนินงานอยู่", "ปกติ", "active",
                  "operating", "ดำเนินการปกติ"),
    "dormant": ("หยุดดำเนินการ", "หยุดดำเนินการชั่วคราว", "หยุดชั่วคราว", "ไม่ดำเนินการ", "ชะลอ", "ชะลอการดำเนินงาน",
                "ไม่เคลื่อนไหว", "หยุด", "dormant", "inactive"),
    "dissolved": ("ยุบ", "ยุบเลิก", "เลิก", "เลิกกิจการ", "ปิด", "ปิดกองทุน", "dissolved", "closed"),
}
_STATUS_LOOKUP = {word.lower(): status for status, words in STATUS_WORDS.items() for word in words}


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in the reader's language."""


def thai_digits_to_arabic(text):
    return str(text).translate(THAI_TO_ARABIC)


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _plain_number_text(value, unit_words):
    text = thai_digits_to_arabic(value).strip()
    for word in unit_words:
        text = text.replace(word, "")
    return text.replace(",", "").replace(" ", "").replace("\u00a0", "")


def read_count(value):
    """A number of people: a whole number, never negative ("1,234", "๑๒๐ คน", 120.0 from a workbook)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(_plain_number_text(value, ("คน", "ราย")))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number of people.") % {"value": value})
    if number < 0:
        raise CellError(_("“%(value)s” is negative.") % {"value": value})
    return int(number)


def read_money(value):
    """An amount in baht, never negative, kept to the satang ("12,500.50", "๕๐,๐๐๐ บาท")."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not an amount of money.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        try:
            amount = Decimal(_plain_number_text(value, ("บาท", "฿")))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not an amount of money.") % {"value": value}) from None
    if not amount.is_finite():
        raise CellError(_("“%(value)s” is not an amount of money.") % {"value": value})
    if amount < 0:
        raise CellError(_("“%(value)s” is negative.") % {"value": value})
    return amount.quantize(Decimal("0.01"))


def read_year(value):
    """(Buddhist year, note or ""). A date or a Christian-Era year (1900–2399) is converted and the
    note says so; anything else that is not a year is refused."""
    if is_blank(value):
        return None, ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        year = value.year
    else:
        text = thai_digits_to_arabic(value).strip()
        for word in ("พ.ศ.", "พ.ศ", "ปี"):
            text = text.replace(word, "")
        text = text.strip()
        found = re.fullmatch(r"(?:\d{1,2}[/.-]\d{1,2}[/.-])?(\d{4})(?:\.0)?", text)
        if not found:
            raise CellError(_("“%(value)s” is not a year.") % {"value": value})
        year = int(found.group(1))
    if year >= FIRST_BE_YEAR:
        return year, ""
    if year >= FIRST_CE_YEAR:
        return year + BE_OFFSET, _("year %(ce)s read as Christian Era: B.E. %(be)s") % {
            "ce": year, "be": year + BE_OFFSET}
    raise CellError(_("“%(value)s” is not a year of the Buddhist Era.") % {"value": value})


def read_status(value):
    """'operating', 'dormant' or 'dissolved' from the words each source uses."""
    if is_blank(value):
        return None
    key = re.sub(r"\s+", "", str(value)).lower()
    status = _STATUS_LOOKUP.get(key)
    if status is None:
        raise CellError(_("“%(value)s” is not a known fund status (operating, dormant, dissolved).")
                        % {"value": value})
    return status


def read_area_code(value, length):
    """An official area code of `length` digits, or "" (a code read back from a workbook as 570101.0
    or written in Thai digits is still a code)."""
    if is_blank(value):
        return ""
    text = thai_digits_to_arabic(value).strip().replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    return text if re.fullmatch(rf"\d{{{length}}}", text) else ""


def _strip_words(text, prefixes, suffixes=()):
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix):], True
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


def fund_name_key(name):
    """The part of a fund's name that all three sources share: no spaces, no prefix words
    (กองทุนสวัสดิการชุมชน, ตำบล, ต., เทศบาลตำบล, อบต. …), Arabic digits."""
    if is_blank(name):
        return ""
    text = re.sub(r"\s+", "", thai_digits_to_arabic(name))
    return _strip_words(text, NAME_PREFIXES, NAME_SUFFIXES)


def district_name_key(name):
    if is_blank(name):
        return ""
    text = re.sub(r"\s+", "", thai_digits_to_arabic(name))
    return _strip_words(text, DISTRICT_PREFIXES)
