"""The fingerprint of a charter's text that forgives formatting.

The registered text keeps its exact SHA-256 (printed on certificates since the start). Next to it the
registry keeps the SHA-256 of the *normalized* text, so that a copy pasted from the print view or from
the PDF of the same version matches while any changed word does not. Normalizing:

1. Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen) are removed.
2. Thai digits ๐–๙ become Arabic digits 0–9.
3. SARA AM (ำ) written as NIKHAHIT + SARA AA (ํา, what PDF text extraction gives) becomes ำ.
4. Lines that are page furniture are dropped: the print view's links, registration line, revocation
   banner and SHA-256 line; the PDF's rule and page numbers; a browser's printed header and footer
   (date and time, address, page x/y); a "printed on" line.
5. Whitespace (spaces, line breaks, page breaks) is removed, except between two Latin letters or digits
   where it counts as one space: Thai has no spaces between words, so a line break may fall anywhere.

Nothing else is forgiven: a changed, added or removed letter, digit or punctuation mark gives another
fingerprint.
"""

import hashlib
import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
# A tone mark may stand before or after the NIKHAHIT of a split SARA AM (น้ำ = น ้ ํ า or น ํ ้ า).
SPLIT_SARA_AM = re.compile(f"{NIKHAHIT}([\u0e48-\u0e4b]?){SARA_AA}")

# Furniture that is the same in every language.
PAGE_NUMBER = re.compile(
    r"^[-–—(\[]?\s*(?:(?:page|หน้า(?:ที่)?)\s*)?\d{1,4}(?:\s*(?:/|of|จาก)\s*\d{1,4})?\s*[-–—)\]]?$", re.IGNORECASE
)
RULE = re.compile(r"^[-_=–—.·•*~\s]{3,}$")
FINGERPRINT_LINE = re.compile(r"^(?:.{0,80}SHA-?256.{0,80}?)?[0-9a-f]{64}$", re.IGNORECASE)
# A browser's printed header ("7/12/26, 13:20  title") and footer ("https://…/?print=1  1/3").
# Strict (a comma or AM/PM, a colon in the time) so that a charter line opening with a date such as
# "14/5/2569 09.30 น." is never taken for furniture.
BROWSER_HEADER = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4}(?:,\s*\d{1,2}:\d{2}(?:\s*[AP]M)?|\s+\d{1,2}:\d{2}\s*[AP]M)(?:\s.{0,200})?$",
    re.IGNORECASE,
)
BROWSER_FOOTER = re.compile(r"^(?:https?|file)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$", re.IGNORECASE)
PRINTED_ON = re.compile(r"^(?:printed on|พิมพ์เมื่อ|วันที่พิมพ์)(?:[\s:].{0,60})?$", re.IGNORECASE)
REGISTRATION_NUMBER = r"\d{2}-\d{4}-\d{4}"

# Labels of the print view (templates/pages/charter_page_print.html), looked up in every language.
BACK, PRINT, NUMBER_LABEL, REVOKED = "Back to the charter", "Print", "Registration number", "Registration revoked"
# The switch between Thai and Arabic digits (templates/includes/digit_switch.html).
NUMBERING = "Numbering in"


@lru_cache(maxsize=1)
def _print_view_furniture():
    labels = {BACK: set(), PRINT: set(), NUMBER_LABEL: set(), REVOKED: set(), NUMBERING: set()}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for msgid in labels:
                labels[msgid].add(re.escape(_digits_and_marks(translation.gettext(msgid))))

    def either(msgid):
        return "(?:" + "|".join(sorted(labels[msgid], key=len, reverse=True)) + ")"

    return [
        re.compile(rf"^{either(BACK)}(?:\s*·\s*{either(PRINT)})?$", re.IGNORECASE),
        re.compile(rf"^{either(NUMBER_LABEL)}\s*:?\s*{REGISTRATION_NUMBER}(?:\s*·.{{0,40}})?$", re.IGNORECASE),
        re.compile(rf"^{either(REVOKED)}(?:\s.{{0,40}})?$", re.IGNORECASE),
        re.compile(rf"^{either(NUMBERING)}\s*:.{{0,80}}$", re.IGNORECASE),
    ]


def _digits_and_marks(text):
    text = text.translate(ZERO_WIDTH).translate(THAI_DIGITS)
    return SPLIT_SARA_AM.sub(lambda match: match.group(1) + SARA_AM, text)


def is_furniture(line):
    """Whether a line (already stripped and with digits and marks unified) is page furniture."""
    if PAGE_NUMBER.match(line) or RULE.match(line) or FINGERPRINT_LINE.match(line):
        return True
    if BROWSER_HEADER.match(line) or BROWSER_FOOTER.match(line) or PRINTED_ON.match(line):
        return True
    return any(pattern.match(line) for pattern in _print_view_furniture())


def _join_whitespace(match):
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    # Between two Latin letters or digits a space separates words or numbers ("1 2" is not "12").
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return " "
    return ""


def normalize_charter_text(text):
    """The text the normalized fingerprint is computed on (see the module's docstring)."""
    lines = (_digits_and_marks(line).strip() for line in (text or "").splitlines())
    kept = "\n".join(line for line in lines if line and not is_furniture(line))
    return re.sub(r"\s+", _join_whitespace, kept)


def normalized_sha256(text):
    return hashlib.sha256(normalize_charter_text(text).encode("utf-8")).hexdigest()
