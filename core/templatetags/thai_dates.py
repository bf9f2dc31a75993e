"""Date filters for every template: Buddhist Era on Thai pages, the English form on English pages."""

from django import template
from django.utils.translation import get_language

from core import thaidate
from core.i18n import is_english

register = template.Library()


@register.filter
def thai_date(value):
    """'14 พฤษภาคม 2562' on Thai pages, '14 May 2019' on English pages."""
    return thaidate.format_date_for_language(value, get_language())


@register.filter
def thai_date_official(value):
    """Thai numerals for official documents: '๑๔ พฤษภาคม ๒๕๖๒'."""
    return thaidate.format_thai_date(value, numerals=True)


@register.filter
def thai_date_short(value):
    if is_english():
        return value.strftime("%d %b %Y") if value else ""
    return thaidate.format_thai_date(value, short=True)


@register.filter
def thai_digits(value):
    return thaidate.thai_numerals(value)


@register.filter
def buddhist_year(value):
    return thaidate.buddhist_year(value) if value else ""


@register.filter
def thai_datetime(value):
    """A moment in the admin, Buddhist Era on Thai screens: '7 ธ.ค. 2569 13:22 น.'."""
    return thaidate.format_datetime_for_language(value, get_language())
