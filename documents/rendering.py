"""HTML → PDF with WeasyPrint, in the bundled Sarabun font, A4.

The HTML is a pure function of the source object (no clock, no random ids), so the same input gives
the same text and the same content hash; the hash is what makes generation idempotent.
"""

import base64
import functools
import hashlib
import io
import re
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "sarabun"


def font_faces_css() -> str:
    """@font-face rules pointing at the bundled files (file:// URLs: never fetched from the network)."""
    rules = []
    for weight in (400, 700):
        for subset, unicode_range in (
            ("thai", "U+0E01-0E5B, U+200C-200D, U+25CC"),
            ("latin", "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD"),
        ):
            path = FONT_DIR / f"sarabun-{subset}-{weight}-normal.woff"
            rules.append(
                f"@font-face {{ font-family: 'Sarabun {subset}'; font-style: normal; "
                f"font-weight: {weight}; src: url('{path.as_uri()}') format('woff'); "
                f"unicode-range: {unicode_range}; }}"
            )
    return "\n".join(rules)


def verification_url(registration_number: str) -> str:
    """Absolute URL of the public verification page of a certificate (built by the public site)."""
    try:
        with translation.override("th"):  # the Thai address (no /en/ prefix) is the official one
            path = reverse("public:verify", args=[registration_number])
    except NoReverseMatch:
        path = f"/verify/{quote(registration_number, safe='')}/"
    base = getattr(settings, "PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


# Making a QR code takes about 10-20 ms (fitting the version, trying every mask) and a certificate is
# rendered again for each check of its content hash: the same text gives the same image, kept here.
@functools.lru_cache(maxsize=128)
def qr_code_data_uri(text: str) -> str:
    """A QR code as an inline SVG data URI (deterministic, no temporary files)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_html(template_name: str, context: dict) -> str:
    # Official documents are Thai first whatever the language of the person who asked for them.
    with translation.override("th"):
        return render_to_string(template_name, {"font_faces": font_faces_css(), **context})


def content_sha256(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def html_to_pdf(html: str) -> bytes:
    # Imported here, not at the top: WeasyPrint takes about 1 s to import (measured 0.97–1.28 s), and
    # only the worker task that makes a PDF needs it, not every web process that imports this module.
    from weasyprint import HTML

    return HTML(string=split_sara_am(html), base_url=str(settings.BASE_DIR)).write_pdf()


# SARA AM (ำ) with the tone mark before it, if any.
SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")


def split_sara_am(html: str) -> str:
    """ำ written as NIKHAHIT + SARA AA (นํ้า for น้ำ), drawn the same. The font draws ำ with the glyph
    of า, and the PDF's map from glyphs back to text names that glyph once: ำ then came back from a
    copy or from pdftotext as า, and so did the tone mark before it, so the copied text lost letters.
    Split, every glyph maps to its own letter; the verification page joins them again."""
    return SARA_AM.sub("\u0e4d\\1\u0e32", html)
