"""Thailand's provinces, districts and regions: names in Thai and English from `geothai` (the
Department of Provincial Administration's codes) and our table of the CODI regions. The one place that
reads them; everything else asks here."""

import json
from functools import lru_cache
from pathlib import Path

import geothai

from .i18n import is_english

BANGKOK = "10"  # its districts are khet and its tambons khwaeng
REGIONS_FILE = Path(__file__).parent / "data" / "regions.json"


def load_region_table():
    """(the region table as read, {province code: region slug})."""
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    province_region = {code: region["slug"] for region in data["regions"] for code in region["provinces"]}
    return data, province_region


@lru_cache(maxsize=1)
def _provinces():
    return {p.code: p for p in geothai.provinces()}


def is_province_code(code):
    return code in _provinces()


def province_codes():
    return list(_provinces())


def province_name(code, english=None, default=None):
    """The province's name in the page's language (or Thai with english=False). An unknown code gives
    `default`, or the code itself when no default is given."""
    province = _provinces().get(code)
    if province is None:
        return (code or "") if default is None else default
    english = is_english() if english is None else english
    return province.name_en if english else province.name_th


def province_choices(english=None, with_code=False):
    """[(code, name), ...] sorted by name in the page's language; "เชียงราย (57)" with_code."""
    english = is_english() if english is None else english
    choices = []
    for code in _provinces():
        name = province_name(code, english)
        choices.append((code, f"{name} ({code})" if with_code else name))
    return sorted(choices, key=lambda choice: choice[1])


def district_name(code, english=None, default=None):
    """The name of a district (อำเภอ/เขต) by its four-digit code, in the page's language (or Thai with
    english=False); an unknown code gives `default`, or the code itself."""
    district = geothai.district(code) if code and len(code) == 4 else None
    if district is None:
        return (code or "") if default is None else default
    english = is_english() if english is None else english
    return district.name_en if english else district.name_th


def province_district_codes(province_code):
    """The codes of the province's districts, in the official order."""
    return [district.code for district in geothai.districts(province_code)] if is_province_code(province_code) else []


def area_names(province_code, area_code=""):
    """The names, Thai and English, of the province and district an area lies in, space-separated."""
    names = []
    province = _provinces().get(province_code) if province_code else None
    if province:
        names += [province.name_th, province.name_en]
    district = geothai.district(area_code[:4]) if area_code and len(area_code) >= 4 else None
    if district:
        names += [district.name_th, district.name_en]
    return " ".join(names)


@lru_cache(maxsize=1)
def province_region_slugs():
    """{province code: region slug}."""
    return load_region_table()[1]
