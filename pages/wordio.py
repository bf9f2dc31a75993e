"""Charters from and to Word: a `.docx` (or plain text) read into a preamble, chapters (หมวด) and
clauses (ข้อ); a version of a charter written as a `.docx` in the official layout.

Reading never guesses silently: whatever it could not place as written (numbering gaps, duplicates, a
clause before the first chapter, a chapter without clauses) is reported with the paragraph it came from,
so that the preview says it before anything is saved. Clause numbers are not stored (CharterPage numbers
its clauses continuously across chapters), so a file whose numbering restarts or jumps is still read in
document order and the report says which number each clause gets.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.thaidate import thai_numerals

# A charter in Word is a few hundred kilobytes; the limit keeps a stray upload (a scan, a video) out.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What the parts of a .docx may unpack to, together: a zip bomb is refused before it is read.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
FONT_NAME = "Sarabun"
FONT_SIZE = Pt(16)

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = r"([0-9๐-๙]{1,4})"
# «หมวด ๑ บททั่วไป», «หมวดที่ 1. บททั่วไป», «หมวด ๒ : สมาชิก».
CHAPTER_LINE = re.compile(rf"^หมวด\s*(?:ที่)?\s*{_NUMBER}\s*[.:)\-–]?\s*(.*)$")
# «ข้อ ๑ …», «ข้อ 1. …», «ข้อที่ ๓) …»; never «ข้อ ๑.๑» (a sub-item) nor «ข้อความ…».
CLAUSE_LINE = re.compile(rf"^ข้อ\s*(?:ที่)?\s*{_NUMBER}(?![.][0-9๐-๙])\s*[.:)]?\s*(.*)$")
# Transitional provisions are a chapter of their own, often without a number.
TRANSITIONAL = "บทเฉพาะกาล"
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


class WordFileError(ValueError):
    """A file that cannot be read as a charter at all: nothing is shown, nothing saved."""


def arabic_number(text):
    return int(text.translate(_THAI_TO_ARABIC))


def clean_line(text):
    """One line as a person reads it: invisible characters gone, runs of spaces (tabs, no-break
    spaces) made one space, no space at either end."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


@dataclass
class Problem:
    """One thing the reader could not place as written. `blocking` problems stop the import."""

    message: str
    line: int | None = None
    blocking: bool = False


@dataclass
class ParsedChapter:
    title: str
    number: int | None
    line: int
    clauses: list = field(default_factory=list)  # [[written number, [lines], line number], ...]


@dataclass
class ParsedCharter:
    preamble: list = field(default_factory=list)
    chapters: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    source_format: str = ""

    @property
    def blocking(self):
        return any(problem.blocking for problem in self.problems)

    @property
    def clause_count(self):
        return sum(len(chapter.clauses) for chapter in self.chapters)

    def preamble_text(self):
        return "\n".join(self.preamble)

    def chapters_data(self):
        """The chapters as CharterPage.chapters takes them: [{"title", "clauses": [text, ...]}, ...]."""
        return [
            {"title": chapter.title, "clauses": ["\n".join(lines) for _number, lines, _line in chapter.clauses]}
            for chapter in self.chapters
        ]

    def numbered(self):
        """[(chapter number, title, [(number it gets, number as written, text), ...]), ...] for the preview."""
        result, clause_no = [], 0
        for chapter_no, chapter in enumerate(self.chapters, 1):
            clauses = []
            for written, lines, _line in chapter.clauses:
                clause_no += 1
                clauses.append((clause_no, written, "\n".join(lines)))
            result.append((chapter_no, chapter.title, clauses))
        return result


# --- Reading ------------------------------------------------------------------------------------------


def docx_lines(data):
    """The lines of a .docx's body, paragraph by paragraph (a line break inside a paragraph makes a
    line of its own), in document order: paragraphs in tables, content controls and text boxes too."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise WordFileError(_("The Word file unpacks to more than 50 MB; it cannot be read."))
            if "word/document.xml" not in archive.namelist():
                raise WordFileError(_("This is not a Word (.docx) file."))
        document = Document(io.BytesIO(data))
    except WordFileError:
        raise
    except Exception as error:  # zipfile, lxml and python-docx each raise their own errors on a bad file
        raise WordFileError(_("This is not a Word (.docx) file, or it is damaged.")) from error
    lines = []
    for paragraph in document.element.body.iter(_P):
        lines.extend(_paragraph_text(paragraph).split("\n"))
    return lines


_P, _PPR, _RPR = qn("w:p"), qn("w:pPr"), qn("w:rPr")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")


def _paragraph_text(paragraph):
    """The text of one paragraph as Word shows it: its runs, those of hyperlinks, fields and tracked
    insertions included (python-docx's Paragraph.text leaves out the last two), deleted text left out
    (w:delText), a tab as a space, a break as a new line. A text box's paragraphs are read on their own."""
    parts = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR):
        parent = element.getparent()
        inside = False
        while parent is not None and parent is not paragraph:
            # Tab stops in the paragraph's properties; a nested paragraph (a text box).
            if parent.tag in (_P, _PPR, _RPR):
                inside = True
                break
            parent = parent.getparent()
        if inside:
            continue
        if element.tag == _T:
            parts.append(element.text or "")
        elif element.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def text_lines(data):
    """The lines of a plain-text file in UTF-8 (with or without BOM) or Thai Windows (cp874 / TIS-620)."""
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WordFileError(_("The text file is neither UTF-8 nor Thai Windows (cp874) text."))
    if "\x00" in text:
        raise WordFileError(_("This is not a text file."))
    return text.splitlines()


def read_upload(name, data, *, skip_lines=()):
    """Read an uploaded file (its name and bytes) into a ParsedCharter; WordFileError when it cannot
    be read at all. Leading lines equal to one of `skip_lines` (the charter's title and version, which
    the export writes at the top) are not taken as the preamble."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not data:
        raise WordFileError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise WordFileError(_("The file is larger than 5 MB."))
    if extension == "docx":
        lines, source_format = docx_lines(data), "docx"
    elif extension == "txt":
        lines, source_format = text_lines(data), "txt"
    elif extension == "doc":
        raise WordFileError(_("Old Word files (.doc) cannot be read: save the file as .docx and upload it again."))
    else:
        raise WordFileError(_("Upload a Word file (.docx) or a plain-text file (.txt)."))
    parsed = parse_lines(lines, skip_lines=skip_lines)
    parsed.source_format = source_format
    return parsed


def parse_lines(lines, *, skip_lines=()):
    """Lines of text into a ParsedCharter (see the module's docstring for what is reported)."""
    parsed = ParsedCharter()
    skip = {clean_line(line) for line in skip_lines if clean_line(line)}
    chapter = None
    clause = None  # [written number, [lines], line number] of the clause being read
    seen_text = False
    for line_no, raw in enumerate(lines, 1):
        line = clean_line(raw)
        if not line:
            continue
        seen_text = True
        chapter_match = CHAPTER_LINE.match(line)
        if chapter_match or line == TRANSITIONAL:
            number = arabic_number(chapter_match.group(1)) if chapter_match else None
            title = chapter_match.group(2).strip() if chapter_match else TRANSITIONAL
            chapter = ParsedChapter(title=title, number=number, line=line_no)
            parsed.chapters.append(chapter)
            clause = None
            continue
        clause_match = CLAUSE_LINE.match(line)
        if clause_match and chapter is not None:
            clause = [arabic_number(clause_match.group(1)), [], line_no]
            if clause_match.group(2):
                clause[1].append(clause_match.group(2))
            chapter.clauses.append(clause)
            continue
        if clause is not None:
            # A sub-item («๑.๑», «(๑)»), or the clause's text going on: part of the clause.
            clause[1].append(line)
        elif chapter is not None:
            if not chapter.title and not chapter.clauses:
                # «หมวด ๑» on one line, its title centred on the next.
                chapter.title = line
            else:
                parsed.problems.append(Problem(
                    _("Text between the chapter heading “%(heading)s” and its first clause was not placed: “%(text)s”.")
                    % {"heading": _chapter_label(chapter), "text": _excerpt(line)},
                    line_no,
                ))
        else:
            if clause_match:
                parsed.problems.append(Problem(
                    _("Clause %(number)s comes before the first chapter heading (หมวด); it was kept in the preamble.")
                    % {"number": arabic_number(clause_match.group(1))},
                    line_no,
                ))
            if not parsed.preamble and line in skip and not clause_match:
                continue
            parsed.preamble.append(line)
    if not seen_text:
        raise WordFileError(_("The file has no text."))
    _check(parsed)
    return parsed


def _chapter_label(chapter):
    return f"หมวด {chapter.number} {chapter.title}".strip() if chapter.number is not None else chapter.title


def _excerpt(text, length=80):
    return text if len(text) <= length else text[: length - 1] + "…"


def _check(parsed):
    problems = parsed.problems
    if not parsed.chapters:
        problems.append(Problem(
            _("No chapter heading (“หมวด ๑ …” or “หมวดที่ 1 …”) was found, so there is nothing to import."),
            blocking=True,
        ))
        return
    expected_chapter = 1
    for position, chapter in enumerate(parsed.chapters, 1):
        label = _chapter_label(chapter)
        if not chapter.title:
            problems.append(Problem(
                _("Chapter %(number)s has no title.") % {"number": position}, chapter.line, blocking=True
            ))
        if not chapter.clauses:
            problems.append(Problem(
                _("Chapter “%(chapter)s” has no clauses (ข้อ).") % {"chapter": label}, chapter.line, blocking=True
            ))
        if chapter.number is not None:
            if chapter.number != expected_chapter:
                problems.append(Problem(
                    _("Chapter numbering: “%(chapter)s” was expected to be chapter %(expected)s; it becomes chapter %(position)s.")
                    % {"chapter": label, "expected": expected_chapter, "position": position},
                    chapter.line,
                ))
            expected_chapter = chapter.number + 1
        else:
            expected_chapter = position + 1

    seen = {}  # written number: the chapter it was first seen in, since the numbering last started at 1
    expected = 1
    position = 0
    for chapter in parsed.chapters:
        for index, (written, lines, line_no) in enumerate(chapter.clauses):
            position += 1
            if index == 0 and written == 1 and position > 1:
                # Numbering that starts again in a chapter: said once, at the chapter.
                seen = {}
                problems.append(Problem(
                    _("Clause numbering starts again at 1 in “%(chapter)s”; its clauses are numbered on from clause %(position)s.")
                    % {"chapter": _chapter_label(chapter), "position": position},
                    line_no,
                ))
            elif written in seen:
                problems.append(Problem(
                    _("Clause %(number)s appears twice (the first in “%(chapter)s”); the second becomes clause %(position)s.")
                    % {"number": written, "chapter": seen[written], "position": position},
                    line_no,
                ))
            elif written in (expected, position):
                # Numbered on from the clause before, or as it will be numbered: continuously.
                pass
            elif written > expected:
                missing = str(expected) if written - expected == 1 else f"{expected}–{written - 1}"
                problems.append(Problem(
                    _("Numbering gap: clause %(number)s follows clause %(previous)s (clause %(missing)s missing); it becomes clause %(position)s.")
                    % {"number": written, "previous": expected - 1, "missing": missing, "position": position},
                    line_no,
                ))
            else:
                problems.append(Problem(
                    _("Clause %(number)s is out of order; it becomes clause %(position)s.")
                    % {"number": written, "position": position},
                    line_no,
                ))
            seen.setdefault(written, _chapter_label(chapter))
            expected = written + 1
            if not any(lines):
                problems.append(Problem(
                    _("Clause %(number)s has no text.") % {"number": written}, line_no, blocking=True
                ))


# --- Writing ------------------------------------------------------------------------------------------


def _set_font(target, *, bold=None):
    """Sarabun 16 pt for every script: Word draws Thai with the complex-script font and size (w:cs,
    w:szCs), which python-docx's font.name and font.size do not set."""
    target.font.name = FONT_NAME
    target.font.size = FONT_SIZE
    if bold is not None:
        target.font.bold = bold
    properties = target.element.get_or_add_rPr()
    _sarabun_for_every_script(properties.get_or_add_rFonts())
    # Elements of a run's properties have a fixed order in the schema (Word refuses a file otherwise).
    size_cs = properties.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = properties.makeelement(qn("w:szCs"), {})
        properties.insert_element_before(size_cs, *_RPR_AFTER_SZCS)
    size_cs.set(qn("w:val"), str(int(FONT_SIZE.pt * 2)))
    if bold:
        properties.get_or_add_bCs()
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.insert_element_before(language, *_RPR_AFTER_LANG)
    language.set(qn("w:val"), "th-TH")
    language.set(qn("w:bidi"), "th-TH")


def _sarabun_for_every_script(fonts):
    # A theme font (the template's Calibri) wins over a named one on the same element: drop it.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_NAME)


_RPR_AFTER_SZCS = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                   "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _paragraph(document, text, *, style=None, centred=False, bold=False, first_line_indent=None):
    paragraph = document.add_paragraph(style=style)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if first_line_indent is not None:
        paragraph.paragraph_format.first_line_indent = first_line_indent
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)
    if bold:
        run.bold = True
        run._r.get_or_add_rPr().get_or_add_bCs()
    return paragraph


def charter_docx(charter):
    """A version of a charter (a CharterPage, live or built from a revision) as the bytes of a .docx:
    A4, Sarabun 16 pt, the title and version centred, chapter headings centred and bold, clauses
    numbered on across chapters, numbers in Thai numerals; the text itself as written."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")) if defaults is not None else ():
        _sarabun_for_every_script(fonts)
    _set_font(document.styles["Normal"])
    # Chapter headings are Word headings (the navigation pane lists them), in the official look.
    heading = document.styles["Heading 1"]
    _set_font(heading, bold=True)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.font.italic = False
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    core = document.core_properties
    core.title = charter.title
    core.language = "th-TH"

    _paragraph(document, charter.title, centred=True, bold=True)
    if charter.version_label:
        _paragraph(document, charter.version_label, centred=True)
    for line in (charter.preamble or "").splitlines():
        if clean_line(line):
            _paragraph(document, line, first_line_indent=Cm(2.5))
    for chapter_no, title, clauses in charter.numbered_chapters():
        _paragraph(document, f"หมวด {thai_numerals(chapter_no)} {title}", style="Heading 1", centred=True, bold=True)
        for clause_no, text in clauses:
            _paragraph(document, f"ข้อ {thai_numerals(clause_no)} {text}", first_line_indent=Cm(2.5))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


SOURCE_FORMATS = {"docx": gettext_lazy("Word (.docx)"), "txt": gettext_lazy("plain text (.txt)")}
