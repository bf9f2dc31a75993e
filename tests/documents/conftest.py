import datetime
import io

import pytest
from pypdf import PdfReader

from tests.factories import add_province

PREAMBLE = "เพื่อให้การจัดสวัสดิการชุมชนเป็นไปด้วยความเรียบร้อย"
REGISTERED_ON = datetime.date(2026, 5, 14)  # ๑๔ พฤษภาคม ๒๕๖๙


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def network(home):
    return add_province(home, publish=True)


def pdf_text(document) -> str:
    """The text of a stored PDF, as a reader's copy-and-paste would give it."""
    with document.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def normalise(text: str) -> str:
    """Undo what PDF text extraction cannot keep apart: HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA,
    and the PDF's ToUnicode map names the shared SARA AA glyph once, so ำ and า may come back swapped.
    Comparing with both folded to า keeps the check on every other letter. Whitespace is dropped: Thai
    has no spaces between words, so a line break in the PDF may fall anywhere in a phrase."""
    return "".join(text.replace("ำ", "า").replace("\u0e4d", "").split())
