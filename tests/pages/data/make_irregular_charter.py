"""Makes irregular_charter.docx, the fixture of tests/pages/test_word_io.py: a charter typed the way
committees type them in Word (run with `.venv/bin/python tests/pages/data/make_irregular_charter.py`).

- the title and a preamble with a no-break space and a zero-width space;
- «หมวดที่ 1» alone on a line, its title centred on the next paragraph, in bold;
- «ข้อ» and its number split over runs, a tab and no-break spaces after it;
- a clause whose text starts on the next paragraph;
- sub-items «(๑)» after soft line breaks, and «๒.๑» in a paragraph of their own;
- empty paragraphs; Thai and Arabic numbering mixed; «หมวด ๒ :» with a colon;
- a gap (clause ๖ missing) and a duplicate clause number in chapter 3, numbering restarted at 1 in chapter 4;
- «บทเฉพาะกาล» without a number; one clause inside a table cell;
- a clause inside a content control (w:sdt), a tracked insertion (kept) and deletion (left out).
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def _wrap_in_content_control(paragraph):
    """Put the paragraph inside a block content control (w:sdt), as Word templates do."""
    p = paragraph._p
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    p.addprevious(sdt)
    sdt.append(OxmlElement("w:sdtPr"))
    sdt.append(content)
    content.append(p)


def _tracked_changes(paragraph, *, inserted, deleted):
    """A tracked insertion (kept) and a tracked deletion (left out) at the end of the paragraph."""
    p = paragraph._p
    for tag, text_tag, text in (("w:ins", "w:t", inserted), ("w:del", "w:delText", deleted)):
        change = OxmlElement(tag)
        change.set(qn("w:id"), "1" if tag == "w:ins" else "2")
        change.set(qn("w:author"), "กรรมการ")
        run = OxmlElement("w:r")
        text_element = OxmlElement(text_tag)
        text_element.text = text
        run.append(text_element)
        change.append(run)
        p.append(change)


def build(path):
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลทดสอบ").bold = True
    document.add_paragraph("")
    document.add_paragraph("อาศัยมติที่ประชุม\u00a0สมัชชาเครือข่าย\u200b ครั้งที่ ๒/๒๕๖๒ จึงออกข้อบังคับไว้ดังนี้")

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("หมวดที่ 1").bold = True
    heading_title = document.add_paragraph()
    heading_title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading_title.add_run("บททั่วไป").bold = True

    clause = document.add_paragraph()
    clause.add_run("ข้")
    clause.add_run("อ ")
    clause.add_run("๑").bold = True
    clause.add_run("\tข้อบังคับนี้เรียกว่า  “ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลทดสอบ”")
    document.add_paragraph("ข้อ\u00a0๒.\u00a0ข้อบังคับนี้ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ")
    document.add_paragraph("")
    document.add_paragraph("ข้อ ๓")
    document.add_paragraph("สำนักงานตั้งอยู่ที่ศาลาประชาคมหมู่ที่ 4")

    document.add_heading("หมวด ๒ : วัตถุประสงค์", level=1)
    objectives = document.add_paragraph("ข้อ 4) เครือข่ายมีวัตถุประสงค์ดังนี้")
    run = objectives.add_run()
    run.add_break()
    run.add_text("(๑) ส่งเสริมการออมของสมาชิก")
    run.add_break()
    run.add_text("(๒) จัดสวัสดิการแก่สมาชิก")
    document.add_paragraph("ข้อ ๕ การดำเนินงานให้เป็นไปตามข้อ ๔")
    document.add_paragraph("๕.๑ โดยคณะกรรมการ")

    document.add_paragraph("หมวด ๓ สมาชิก")
    document.add_paragraph("ข้อ ๗ สมาชิกต้องมีภูมิลำเนาในตำบล")
    document.add_paragraph("ข้อ ๗ สมาชิกต้องออมเงินทุกเดือน")

    document.add_paragraph("หมวด ๔ คณะกรรมการ")
    in_control = document.add_paragraph("ข้อ ๑ คณะกรรมการมีวาระสองปี")
    _wrap_in_content_control(in_control)
    tracked = document.add_paragraph("ข้อ ๒ กรรมการพ้นจากตำแหน่งเมื่อ")
    _tracked_changes(tracked, inserted="ครบวาระ", deleted="ลาออก")

    document.add_paragraph("บทเฉพาะกาล")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "ข้อ ๑๐ ให้คณะกรรมการชุดแรกอยู่ในตำแหน่งจนกว่าจะมีการเลือกตั้ง"
    document.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("irregular_charter.docx"))
