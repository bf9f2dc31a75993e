"""Reading charters from Word and plain text, and writing them to Word (pages.wordio), on real .docx files
made with python-docx here and on the irregular fixture tests/pages/data/irregular_charter.docx."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from pages import wordio
from pages.models import CharterPage

DATA = Path(__file__).parent / "data"


def docx_bytes(*paragraphs):
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def charter(chapters, *, title="ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลเวียง", version="พ.ศ. ๒๕๖๙", preamble=""):
    """An unsaved CharterPage: the writer reads a version of a charter, live or built from a revision."""
    return CharterPage(
        title=title,
        version_label=version,
        preamble=preamble,
        chapters=[("chapter", {"title": name, "clauses": list(clauses)}) for name, clauses in chapters],
    )


def problems(parsed):
    return [problem.message for problem in parsed.problems]


@pytest.fixture(autouse=True)
def _english():
    # The report's messages are asserted in English (the Thai catalog is merged later).
    with translation.override("en"):
        yield


def test_thai_and_arabic_headings_numbering_continued_and_sub_items_kept():
    parsed = wordio.read_upload("charter.docx", docx_bytes(
        "ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลเวียง",
        "ที่ประชุมใหญ่จึงวางข้อบังคับไว้ดังต่อไปนี้",
        "หมวด ๑ บททั่วไป",
        "ข้อ ๑ ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”",
        "ข้อ ๒ ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ",
        "หมวดที่ 2 สมาชิก",
        "ข้อ 3. สมาชิกมีสองประเภท ได้แก่",
        "(๑) สมาชิกสามัญ",
        "(๒) สมาชิกสมทบ",
        "ข้อ 4. สมาชิกพ้นสภาพเมื่อ",
        "๔.๑ ลาออก",
        "๔.๒ ตาย",
    ), skip_lines=["ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลเวียง"])

    assert parsed.preamble == ["ที่ประชุมใหญ่จึงวางข้อบังคับไว้ดังต่อไปนี้"]
    assert parsed.chapters_data() == [
        {"title": "บททั่วไป", "clauses": ["ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”", "ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ"]},
        {"title": "สมาชิก", "clauses": [
            "สมาชิกมีสองประเภท ได้แก่\n(๑) สมาชิกสามัญ\n(๒) สมาชิกสมทบ",
            "สมาชิกพ้นสภาพเมื่อ\n๔.๑ ลาออก\n๔.๒ ตาย",
        ]},
    ]
    assert parsed.problems == []
    assert not parsed.blocking
    assert parsed.numbered()[1][2][0][:2] == (3, 3)


def test_the_irregular_fixture_is_read_and_every_irregularity_reported():
    data = (DATA / "irregular_charter.docx").read_bytes()
    parsed = wordio.read_upload("irregular_charter.docx", data, skip_lines=["ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลทดสอบ"])

    # A no-break space and a zero-width space in the preamble; the title line left out.
    assert parsed.preamble == ["อาศัยมติที่ประชุม สมัชชาเครือข่าย ครั้งที่ ๒/๒๕๖๒ จึงออกข้อบังคับไว้ดังนี้"]
    numbered = parsed.numbered()
    assert [(no, title, len(clauses)) for no, title, clauses in numbered] == [
        (1, "บททั่วไป", 3),  # «หมวดที่ 1» alone, its title on the next paragraph
        (2, "วัตถุประสงค์", 2),  # «หมวด ๒ : …», a Word heading
        (3, "สมาชิก", 2),
        (4, "คณะกรรมการ", 2),
        (5, "บทเฉพาะกาล", 1),  # no number; its clause sits in a table cell
    ]
    chapters = parsed.chapters_data()
    # «ข้» «อ » «๑» in three runs and a tab after the number; doubled spaces made one.
    assert chapters[0]["clauses"][0] == "ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลทดสอบ”"
    # «ข้อ ๓» alone, its text on the next paragraph.
    assert chapters[0]["clauses"][2] == "สำนักงานตั้งอยู่ที่ศาลาประชาคมหมู่ที่ 4"
    # Sub-items after soft line breaks and in a paragraph of their own stay inside their clause.
    assert chapters[1]["clauses"] == [
        "เครือข่ายมีวัตถุประสงค์ดังนี้\n(๑) ส่งเสริมการออมของสมาชิก\n(๒) จัดสวัสดิการแก่สมาชิก",
        "การดำเนินงานให้เป็นไปตามข้อ ๔\n๕.๑ โดยคณะกรรมการ",
    ]
    # A clause inside a content control; a tracked insertion kept, a tracked deletion left out.
    assert chapters[3]["clauses"] == ["คณะกรรมการมีวาระสองปี", "กรรมการพ้นจากตำแหน่งเมื่อครบวาระ"]
    assert chapters[4]["clauses"] == ["ให้คณะกรรมการชุดแรกอยู่ในตำแหน่งจนกว่าจะมีการเลือกตั้ง"]
    # Clauses keep document order and are numbered on: 1–10.
    assert [no for _c, _t, clauses in numbered for no, _w, _x in clauses] == list(range(1, 11))
    assert problems(parsed) == [
        "Numbering gap: clause 7 follows clause 5 (clause 6 missing); it becomes clause 6.",
        "Clause 7 appears twice (the first in “หมวด 3 สมาชิก”); the second becomes clause 7.",
        "Clause numbering starts again at 1 in “หมวด 4 คณะกรรมการ”; its clauses are numbered on from clause 8.",
    ]
    assert all(problem.line for problem in parsed.problems)
    assert not parsed.blocking


def test_plain_text_in_thai_windows_encoding():
    text = "คำปรารภ\r\nหมวด ๑ บททั่วไป\r\nข้อ ๑ ข้อบังคับนี้เรียกว่า “ข้อบังคับ”\r\nหมวด ๒ สมาชิก\r\nข้อ ๒ สมาชิกต้องออมเงิน ๑๐๐ บาท\r\n"
    parsed = wordio.read_upload("charter.txt", text.encode("cp874"))
    assert parsed.source_format == "txt"
    assert parsed.preamble == ["คำปรารภ"]
    assert parsed.chapters_data() == [
        {"title": "บททั่วไป", "clauses": ["ข้อบังคับนี้เรียกว่า “ข้อบังคับ”"]},
        {"title": "สมาชิก", "clauses": ["สมาชิกต้องออมเงิน ๑๐๐ บาท"]},
    ]
    # The same text in UTF-8 with a byte-order mark reads the same.
    assert wordio.read_upload("charter.txt", b"\xef\xbb\xbf" + text.encode("utf-8")).chapters_data() == parsed.chapters_data()


def test_text_before_headings_gaps_and_empty_chapters_are_reported():
    parsed = wordio.parse_lines([
        "ข้อ ๑ ข้อความก่อนหมวดใด ๆ",
        "หมวด ๑ บททั่วไป",
        "ข้อความที่ไม่อยู่ในข้อใด",
        "ข้อ ๓ ข้อที่ข้ามเลข",
        "หมวด ๓ ว่าง",
    ])
    messages = problems(parsed)
    assert "Clause 1 comes before the first chapter heading (หมวด); it was kept in the preamble." in messages
    assert parsed.preamble == ["ข้อ ๑ ข้อความก่อนหมวดใด ๆ"]
    assert any(m.startswith("Text between the chapter heading “หมวด 1 บททั่วไป” and its first clause was not placed") for m in messages)
    assert "Numbering gap: clause 3 follows clause 0 (clause 1–2 missing); it becomes clause 1." in messages
    assert "Chapter numbering: “หมวด 3 ว่าง” was expected to be chapter 2; it becomes chapter 2." in messages
    assert "Chapter “หมวด 3 ว่าง” has no clauses (ข้อ)." in messages
    assert parsed.blocking


def test_a_file_without_chapters_cannot_be_imported():
    parsed = wordio.parse_lines(["ข้อ ๑ หนึ่ง", "ข้อ ๒ สอง"])
    assert parsed.blocking
    assert problems(parsed)[-1].startswith("No chapter heading")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("charter.docx", b"", "The file is empty."),
        ("charter.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "This is not a Word (.docx) file, or it is damaged."),
        ("charter.docx", b"PK\x03\x04broken zip", "This is not a Word (.docx) file, or it is damaged."),
        ("charter.doc", b"\xd0\xcf\x11\xe0" + b"0" * 100, "Old Word files (.doc) cannot be read: save the file as .docx and upload it again."),
        ("charter.pdf", b"%PDF-1.4", "Upload a Word file (.docx) or a plain-text file (.txt)."),
        ("charter.txt", b"\n \n\t\n", "The file has no text."),
        ("charter.txt", b"a" * (wordio.MAX_UPLOAD_BYTES + 1), "The file is larger than 5 MB."),
    ],
)
def test_bad_files_are_refused(name, data, message):
    with pytest.raises(wordio.WordFileError) as refused:
        wordio.read_upload(name, data)
    assert str(refused.value) == message


def test_a_zip_that_is_not_a_word_file_and_a_zip_bomb_are_refused():
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    with pytest.raises(wordio.WordFileError, match="not a Word"):
        wordio.read_upload("charter.docx", plain_zip.getvalue())

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (wordio.MAX_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < wordio.MAX_UPLOAD_BYTES
    with pytest.raises(wordio.WordFileError, match="more than 50 MB"):
        wordio.read_upload("charter.docx", bomb.getvalue())


@pytest.mark.django_db
def test_export_is_in_the_official_layout():
    data = wordio.charter_docx(charter(
        [("บททั่วไป", ["ข้อบังคับนี้เรียกว่า “ข้อบังคับ”", "ให้ใช้บังคับ\n(๑) หนึ่ง"]), ("สมาชิก", ["สมาชิก 10 คน"])],
        preamble="ที่ประชุมใหญ่จึงวางข้อบังคับไว้",
    ))
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)

    normal = document.styles["Normal"]
    assert normal.font.name == "Sarabun"
    assert normal.font.size == Pt(16)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    # Thai is drawn with the complex-script font and size.
    assert fonts.get(qn("w:cs")) == "Sarabun"
    assert normal.element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"

    paragraphs = [p for p in document.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    assert texts == [
        "ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลเวียง",
        "พ.ศ. ๒๕๖๙",
        "ที่ประชุมใหญ่จึงวางข้อบังคับไว้",
        "หมวด ๑ บททั่วไป",
        "ข้อ ๑ ข้อบังคับนี้เรียกว่า “ข้อบังคับ”",
        "ข้อ ๒ ให้ใช้บังคับ\n(๑) หนึ่ง",
        "หมวด ๒ สมาชิก",
        "ข้อ ๓ สมาชิก 10 คน",  # numbers in Thai numerals; the text as written
    ]
    headings = [p for p in paragraphs if p.text.startswith("หมวด")]
    for heading in headings:
        assert heading.style.name == "Heading 1"
        assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in heading.runs)
    heading_style = document.styles["Heading 1"]
    assert heading_style.font.name == "Sarabun" and heading_style.font.size == Pt(16)
    assert heading_style.element.rPr.find(qn("w:bCs")) is not None


@pytest.mark.django_db
def test_export_then_import_gives_the_same_charter():
    original = charter(
        [
            ("บททั่วไป", ["ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”", "ให้ใช้บังคับตั้งแต่วันที่ 1 มกราคม 2569"]),
            ("วัตถุประสงค์", ["เครือข่ายมีวัตถุประสงค์ดังนี้\n(๑) ส่งเสริมการออม\n(๒) จัดสวัสดิการ\n๓.๑ ย่อย"]),
            ("สมาชิก", ["สมาชิกได้แก่กองทุนสวัสดิการชุมชนตำบล", "สมาชิกพ้นสภาพเมื่อลาออก", "ข้อความที่อ้างถึงข้อ ๑"]),
            ("บทเฉพาะกาล", ["ให้คณะกรรมการชุดแรกอยู่ในตำแหน่งสองปี"]),
        ],
        preamble="อาศัยมติที่ประชุมใหญ่\nจึงวางข้อบังคับไว้ดังต่อไปนี้",
    )
    parsed = wordio.read_upload(
        "charter.docx", wordio.charter_docx(original), skip_lines=[original.title, original.version_label]
    )
    assert parsed.problems == []
    assert parsed.preamble_text() == original.preamble
    assert parsed.chapters_data() == [dict(block.value) | {"clauses": list(block.value["clauses"])} for block in original.chapters]
