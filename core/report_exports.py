"""Dates in Wagtail's spreadsheet exports ("Download CSV / XLSX" of the reports and histories), as the
screen shows them: the Buddhist Era for a Thai user, the Christian Era for an English one, in the user's
time zone. Wired into Wagtail by `core.wagtail_compat.spreadsheet_exports_with` (CoreConfig.ready()).

XLSX keeps a real date cell (it sorts and filters as a date) and gives Thai users a number format with
Excel's Thai Buddhist calendar: the locale code [$-107041E] is calendar 07 (Thai Buddhist) of the Thai
locale 041E with Western digits (01), which Excel and LibreOffice show as "7 ธ.ค. 2569 09:30"; an
application that ignores the calendar still shows the right day, in the Christian Era.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language

from .i18n import is_english
from .thaidate import format_datetime_for_language

# Excel's LCID prefix: numerals 01 (Western), calendar 07 (Thai Buddhist), language 041E (Thai).
THAI_BUDDHIST_LOCALE = "[$-107041E]"
XLSX_BUDDHIST_DATE = f"{THAI_BUDDHIST_LOCALE}d mmm yyyy"
XLSX_BUDDHIST_DATETIME = f"{THAI_BUDDHIST_LOCALE}d mmm yyyy hh:mm"


def csv_text(value):
    """'7 ธ.ค. 2569 09:30 น.' for a Thai user, '7 Dec 2026 09:30' for an English one."""
    return format_datetime_for_language(value, get_language())


def xlsx_value(value):
    """The moment as the user's clock shows it (a spreadsheet cell has no time zone); a date as is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_number_format(value):
    """The Buddhist-calendar format for a Thai user; None keeps Wagtail's (Christian Era) for English."""
    if is_english(get_language()):
        return None
    return XLSX_BUDDHIST_DATETIME if isinstance(value, datetime.datetime) else XLSX_BUDDHIST_DATE
