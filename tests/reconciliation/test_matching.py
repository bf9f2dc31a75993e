"""Each matching rule, and reading each kind of value."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from reconciliation.matching import FundIndex, match_row
from reconciliation.normalize import (
    CellError,
    district_name_key,
    fund_name_key,
    read_count,
    read_money,
    read_status,
    read_year,
)
from tests import provinces

# Chiang Rai built once for the module (tests/provinces.py); not in conftest.py, for the browser test (a
# transactional one) cannot run inside the module's transaction.
chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai


@pytest.fixture
def index(chiang_rai):
    return FundIndex.for_province("57")


def code_of(index, match):
    return index.funds[match.network_id][1] if match.network_id else None


@pytest.mark.parametrize(("written", "key"), [
    ("กองทุนสวัสดิการชุมชนตำบลเวียง", "เวียง"),
    ("ต.รอบ เวียง", "รอบเวียง"),
    ("ตำบล บ้านดู่", "บ้านดู่"),
    ("กองทุนสวัสดิการชุมชนเทศบาลตำบลแม่ยาว", "แม่ยาว"),
    ("อบต.นางแล (องค์กรสวัสดิการชุมชน)", "นางแล"),
    ("หมู่ ๑๒", "หมู่12"),
])
def test_fund_name_key_strips_prefixes_spaces_and_thai_digits(written, key):
    assert fund_name_key(written) == key


def test_district_name_key():
    assert district_name_key("อ.เมืองเชียงราย") == district_name_key("อำเภอ เมืองเชียงราย") == "เมืองเชียงราย"


def test_matched_by_official_code_before_name(index):
    match = match_row(index, "๕๗๐๑๐๓", "a name that is wrong", "")
    assert (match.status, match.method, code_of(index, match)) == ("matched", "code", "570103")
    assert match_row(index, "570103.0").method == "code"  # a code a workbook stored as a number


def test_a_code_of_another_province_falls_back_to_the_name(index):
    match = match_row(index, "110101", "ต.บ้านดู่", "เมืองเชียงราย")
    assert (match.status, match.method, code_of(index, match)) == ("matched", "name", "570103")


def test_matched_by_normalized_name_within_the_district(index):
    match = match_row(index, "", "กองทุนสวัสดิการชุมชนตำบลเวียง", "อ.เชียงแสน")
    assert (match.status, match.method, code_of(index, match)) == ("matched", "name", "570801")
    # An abbreviated district name that fits one district only.
    assert code_of(index, match_row(index, "", "ต.เวียง", "เมือง")) == "570101"


def test_the_same_name_in_several_districts_waits_for_a_person(index):
    match = match_row(index, "", "ต.เวียง", "")
    assert match.status == "ambiguous" and match.network_id is None
    assert {c["code"] for c in match.candidates} == {"570101", "570301", "570401", "570801", "571102"}


def test_a_spelling_variant_matches_by_similarity(index):
    match = match_row(index, "", "ต.บ้านแซ่ว", "เชียงแสน")
    assert (match.status, match.method, code_of(index, match)) == ("matched", "fuzzy", "570803")
    assert 80 <= match.score < 100


def test_a_middling_similarity_is_ambiguous(index):
    match = match_row(index, "", "ผางามใหม่", "เวียงชัย")  # 71 against ผางาม: below 80, above 60
    assert match.status == "ambiguous" and match.network_id is None
    assert match.candidates[0]["code"] == "570203"


def test_no_similar_name_is_unmatched(index):
    match = match_row(index, "", "กองทุนสวัสดิการชุมชนบ้านห้วยน้ำขุ่น", "แม่ฟ้าหลวง")
    assert match.status == "unmatched" and match.network_id is None


def test_values_read_thai_and_arabic_numbers():
    assert read_count("๑,๒๕๐ คน") == 1250
    assert read_count(980.0) == 980
    assert read_money("1,850,000") == Decimal("1850000.00")
    assert read_money("๕๐,๐๐๐.๕ บาท") == Decimal("50000.50")
    assert read_status("หยุดดำเนินการ ชั่วคราว") == "dormant"
    assert read_status("ยุบเลิก") == "dissolved"
    assert read_count("") is None and read_money(None) is None and read_status(" ") is None


def test_a_christian_era_year_is_converted_and_said():
    with translation.override("en"):
        assert read_year("2008") == (2551, "year 2008 read as Christian Era: B.E. 2551")
        assert read_year("พ.ศ. ๒๕๕๑") == (2551, "")
        assert read_year(datetime.date(2008, 3, 12)) == (2551, "year 2008 read as Christian Era: B.E. 2551")
        assert read_year("12/03/2551") == (2551, "")


@pytest.mark.parametrize(("reader", "value", "message"), [
    (read_count, "ไม่ทราบ", "is not a number"),
    (read_count, "-5", "is negative"),
    (read_count, "12.5", "not a whole number"),
    (read_money, "-100", "is negative"),
    (read_money, "หนึ่งแสน", "not an amount of money"),
    (read_status, "รอตรวจสอบ", "not a known fund status"),
    (read_year, "51", "not a year"),
    (read_year, "1500", "not a year of the Buddhist Era"),
])
def test_unreadable_values_say_why(reader, value, message):
    with translation.override("en"), pytest.raises(CellError) as caught:
        reader(value)
    assert message in str(caught.value)
