"""Province and region names for filters and counts, read once from `geothai` and the region table."""

from functools import lru_cache

import geothai
from django.utils.translation import get_language

from pages.tree import load_region_table


def is_english():
    return (get_language() or "th").startswith("en")


@lru_cache(maxsize=1)
def _provinces():
    return {p.code: p for p in geothai.provinces()}


def province_name(code, english=None):
    province = _provinces().get(code)
    if province is None:
        return code or ""
    english = is_english() if english is None else english
    return province.name_en if english else province.name_th


def province_choices():
    """[(code, name), ...] sorted by name in the page's language."""
    english = is_english()
    return sorted(((code, province_name(code, english)) for code in _provinces()), key=lambda c: c[1])


@lru_cache(maxsize=1)
def province_region_slugs():
    """{province code: region slug}."""
    return load_region_table()[1]
