"""Reading source files: XLSX, CSV in UTF-8 (with and without BOM) and cp874; malformed files refused
with a clear message and nothing saved."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from reconciliation.reading import TableError, read_table

from .conftest import demo_file

HEADER = ["ชื่อกองทุน", "อำเภอ", "จำนวนสมาชิก"]
ROW = ["ต.เวียง", "เมืองเชียงราย", "๑,๒๐๐"]


def csv_bytes(encoding, bom=False):
    text = ",".join(HEADER) + "\r\n" + ",".join(f'"{cell}"' for cell in ROW) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(("data", "encoding"), [
    (csv_bytes("utf-8"), "utf-8"),
    (csv_bytes("utf-8", bom=True), "utf-8-sig"),
    (csv_bytes("cp874"), "cp874"),
    (csv_bytes("tis-620"), "cp874"),
])
def test_csv_in_each_encoding_reads_the_same_thai(data, encoding):
    table = read_table(data, "funds.csv")
    assert table.encoding == encoding
    assert table.headers == HEADER
    assert table.rows == [(2, ROW)]


def test_xlsx_keeps_row_numbers_and_skips_empty_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["รายชื่อกองทุน จังหวัดเชียงราย"])  # a title line above the header
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet.append([None, None, None])
    sheet.append(["ต.รอบเวียง", "เมืองเชียงราย", 980])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), "funds.xlsx")
    assert table.file_format == "xlsx" and table.encoding == ""
    assert table.headers == HEADER
    assert [number for number, _cells in table.rows] == [3, 5]
    assert table.rows[1][1] == ["ต.รอบเวียง", "เมืองเชียงราย", 980]


def test_the_demo_files_read():
    assert read_table(demo_file("program-2562.xlsx"), "program-2562.xlsx").file_format == "xlsx"
    assert read_table(demo_file("matching-2562.csv"), "matching-2562.csv").encoding == "cp874"
    assert read_table(demo_file("survey-2562.csv"), "survey-2562.csv").encoding == "utf-8-sig"


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "photo.csv", "binary data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls", "Old Excel files (.xls)"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "not a readable XLSX workbook"),
    (b"1,2,3\n4,5,6\n", "numbers.csv", "no header row"),
    (b"just one line of prose without columns\nand another\n", "note.csv", "no row with at least two columns"),
    ("ชื่อกองทุน,อำเภอ\n".encode(), "header-only.csv", "a header but no rows"),
    (b"name,name\nx,y\n", "twice.csv", "the same name"),
    (bytes([0x81, 0x82, 0x83, 0x8d, 0x8e, 0x8f]) * 5, "weird.csv", "neither UTF-8 nor Thai Windows"),
])
def test_malformed_files_are_refused_with_a_reason(data, name, message):
    with translation.override("en"), pytest.raises(TableError) as caught:
        read_table(data, name)
    assert message in str(caught.value)
