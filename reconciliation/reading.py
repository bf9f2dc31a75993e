"""A source file as a table: its header and its rows, read with openpyxl (XLSX) or the csv module
(CSV in UTF-8, with or without a byte-order mark, or the Windows Thai encoding cp874, a superset of
TIS-620). Anything that is not such a table raises TableError with a message in the reader's
language, before anything is saved."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class TableError(ValueError):
    """The file is not a table we can read; nothing is saved."""


@dataclass
class Table:
    headers: list
    rows: list = field(default_factory=list)  # (row number in the file, [cells]) each
    file_format: str = ""
    encoding: str = ""

    @property
    def encoding_label(self):
        return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp874": "cp874 / TIS-620"}.get(
            self.encoding, self.encoding or "XLSX")


def read_table(data, filename=""):
    if not data:
        raise TableError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is larger than 10 MB."))
    name = (filename or "").lower()
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(_("Old Excel files (.xls) cannot be read: save the file as XLSX or CSV and upload it again."))
    if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError(_("The workbook has no sheet."))
        numbered = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 50:
                raise TableError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
            numbered.append((number, list(row)))
    finally:
        workbook.close()
    return _as_table(numbered, "xlsx", "")


def _decode(data):
    if b"\x00" in data[:4096]:
        raise TableError(_("The file is not a table: it holds binary data. Upload an XLSX or CSV file."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp874"), "cp874"
        except UnicodeDecodeError:
            pass
    raise TableError(_("The file's text is neither UTF-8 nor Thai Windows (cp874 / TIS-620)."))


def _read_csv(data):
    text, encoding = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        numbered = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    except csv.Error as error:
        raise TableError(_("The file is not a readable CSV table (%(error)s).") % {"error": error}) from None
    if len(numbered) > MAX_ROWS + 50:
        raise TableError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    return _as_table(numbered, "csv", encoding)


def _cell_text(value):
    return "" if value is None else str(value).strip()


def _as_table(numbered, file_format, encoding):
    """The first row with two or more filled cells is the header; a header that is all numbers is no
    header. Empty rows are dropped; every row keeps its number in the file."""
    header_at = None
    for index, (_number, row) in enumerate(numbered[:50]):
        if sum(1 for cell in row if _cell_text(cell)) >= 2:
            header_at = index
            break
    if header_at is None:
        raise TableError(_("The file is not a table: no row with at least two columns was found."))
    header_row = numbered[header_at][1]
    texts = [_cell_text(cell) for cell in header_row]
    filled = [text for text in texts if text]
    if all(_looks_numeric(text) for text in filled):
        raise TableError(_("The file has no header row: the first row holds only numbers. Add a row of column names."))
    width = len(texts)
    while width and not texts[width - 1]:
        width -= 1
    headers = []
    for position, text in enumerate(texts[:width]):
        headers.append(text or _("column %(number)s") % {"number": position + 1})
    if len(set(headers)) != len(headers):
        raise TableError(_("Two columns have the same name: give each column its own name."))
    rows = []
    for number, row in numbered[header_at + 1:]:
        cells = list(row[:width]) + [None] * (width - len(row))
        if any(_cell_text(cell) for cell in cells):
            rows.append((number, cells))
    if not rows:
        raise TableError(_("The table has a header but no rows."))
    return Table(headers=headers, rows=rows, file_format=file_format, encoding=encoding)


def _looks_numeric(text):
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
