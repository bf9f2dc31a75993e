"""/verify/: the fingerprint that forgives formatting. Text copied from the print view (as a browser's
select-all and copy gives it, page furniture included) and text extracted from the charter's PDF match
the registered version; any changed word does not; the exact text is offered for download; old
entries (without a stored normalized fingerprint) still verify."""

import datetime
import hashlib
import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.utils import translation
from pypdf import PdfReader

from documents.generation import render_source
from documents.models import DocumentKind
from documents.rendering import html_to_pdf
from networks.models import HomePage
from registry import services
from registry.fingerprint import normalize_charter_text, normalized_sha256
from registry.models import RegistryEntry
from tests.factories import LONG_AGO, add_charter, add_province, make_registrar
from tests.scoped import built_once_per_module, refetched

from .conftest import REGISTRAR

# Long clauses (wrapped over several lines in the PDF and in print), Arabic digits in the text, sara am
# after a tone mark (น้ำ), a zero-width space as some Thai editors insert.
CHAPTERS = [
    ("บททั่วไป", [
        "ข้อบังคับนี้เรียกว่า ข้อบังคับเครือข่ายสวัสดิการชุมชนตำบลบ้านดู่ พ.ศ. 2569",
        "ให้ใช้ข้อบังคับนี้ตั้งแต่วันที่ที่ประชุมใหญ่มีมติเห็นชอบเป็นต้นไป และให้คณะกรรมการนำข้อบังคับไปใช้"
        "ในการดำเนินงานกองทุนสวัสดิการชุมชนทุกด้าน ด้วยน้ำใจและความซื่อสัตย์ " * 6,
    ]),
    ("สมาชิก", [
        "สมาชิกต้องมีภูมิลำเนาในตำบลไม่น้อยกว่า 1 ปี และจ่ายเงินสมทบวันละ 1 บาท",
        "สมาชิกภาพสิ้นสุดลงเมื่อ ตาย ลาออก หรือที่ประชุมใหญ่มีมติให้ออก\u200b ด้วยคะแนนเสียงไม่น้อยกว่าสองในสาม "
        "ของสมาชิกที่มาประชุม " * 10,
    ]),
] + [(f"หมวดที่ทดสอบ {n}", [f"ข้อความทดสอบการแบ่งหน้าลำดับที่ {n} " * 12]) for n in range(3, 9)]


class BrowserCopy(HTMLParser):
    """The text a browser's select-all and copy gives of a page: the text of the body, a line break
    after each block element, nothing of <head>, <script> or <style>."""

    BLOCKS = {"p", "h1", "h2", "h3", "div", "section", "li", "br", "nav", "header", "main", "tr", "dl", "dt", "dd"}

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            # Source line breaks and indentation inside a paragraph are one space on screen.
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self):
        lines = (line.strip() for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def browser_copy(html):
    parser = BrowserCopy()
    parser.feed(html)
    return parser.text()


def pdf_text_of(charter):
    html, _sha = render_source(DocumentKind.CHARTER, charter)
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert len(reader.pages) > 1  # the page breaks and footers are part of what is checked
    return "\n".join(page.extract_text() for page in reader.pages)


def build_entry():
    registrar = make_registrar(REGISTRAR, admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    network = add_province(HomePage.objects.get(), publish=True)
    charter = add_charter(network, chapters=CHAPTERS, preamble="อาศัยมติที่ประชุมใหญ่\nครั้งที่ 1/2569",
                          publish=True)
    return services.register(charter, registrar, on_date=datetime.date(2026, 5, 14))


# The registered charter, built once for the module (tests/scoped.py); each test's writes roll back to it.
_entry = built_once_per_module(build_entry)


@pytest.fixture
def entry(_entry, db):
    return refetched(_entry)


def check(client, entry, text):
    return client.post(f"/verify/{entry.registration_number}/", {"text": text}).content.decode()


def changed(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


def matches(html):
    return "text-check__match" in html and "text-check__mismatch" not in html


@pytest.mark.django_db
class TestNormalizedFingerprint:
    def test_registration_stores_both_fingerprints(self, entry):
        assert entry.text_sha256 == hashlib.sha256(entry.registered_text.encode()).hexdigest()
        assert entry.normalized_sha256 == normalized_sha256(entry.registered_text)
        assert entry.normalized_sha256 != entry.text_sha256

    def test_print_view_copy_matches_and_a_changed_word_does_not(self, client, entry):
        charter = entry.charter
        for digits in ("thai", "arabic"):
            copied = browser_copy(client.get(f"{charter.url}?print=1&digits={digits}").content.decode())
            # The copy carries the furniture of the print view and is not the registered text byte for byte.
            assert entry.registration_number in copied and entry.text_sha256 in copied
            assert copied != entry.registered_text
            assert matches(check(client, entry, copied)), digits
        assert "ข้อ ๓" in browser_copy(client.get(f"{charter.url}?print=1").content.decode())
        assert not matches(check(client, entry, changed(copied, "ลาออก", "ถูกไล่ออก")))

    def test_pdf_text_matches_and_a_changed_word_does_not(self, client, entry):
        extracted = pdf_text_of(entry.charter)
        # What the PDF gives: Thai digits, sara am split in two, page numbers, the rule under the title.
        assert "ข้อ ๑" in extracted and "\u0e4d" in extracted and "1 / " in extracted and "-----" in extracted
        html = check(client, entry, extracted)
        assert matches(html)
        with translation.override("en"):
            html = client.post(f"/en/verify/{entry.registration_number}/", {"text": extracted}).content.decode()
        assert "It differs from the registered text only in what the check forgives" in html
        assert not matches(check(client, entry, changed(extracted, "สมาชิก", "กรรมการ")))
        # A removed clause number, an added digit.
        assert not matches(check(client, entry, changed(extracted, "ข้อ ๓", "")))
        assert not matches(check(client, entry, changed(extracted, "1 บาท", "10 บาท")))

    def test_the_exact_text_still_matches_exactly(self, client, entry):
        with translation.override("en"):
            html = client.post(f"/en/verify/{entry.registration_number}/",
                               {"text": entry.registered_text}).content.decode()
        assert matches(html) and "identical to the registered text" in html

    def test_exact_and_normalized_text_for_download(self, client, entry):
        response = client.get(f"/verify/{entry.registration_number}/text-0.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert hashlib.sha256(response.content).hexdigest() == entry.text_sha256
        normalized = client.get(f"/verify/{entry.registration_number}/text-0.txt?normalized=1").content
        assert hashlib.sha256(normalized).hexdigest() == entry.normalized_sha256
        assert client.get(f"/verify/{entry.registration_number}/text-7.txt").status_code == 404
        assert client.get("/verify/00-0000-0000/text-0.txt").status_code == 404
        # The open data publishes both fingerprints.
        version = client.get(f"/api/v1/registry/{entry.registration_number}/").json()["registered_versions"][0]
        assert version["text_sha256"] == entry.text_sha256
        assert version["normalized_sha256"] == entry.normalized_sha256

    def test_page_says_what_it_covers_and_links_the_text(self, client, entry):
        with translation.override("en"):
            html = client.get(f"/en/verify/{entry.registration_number}/").content.decode()
        assert "What the check covers" in html and "page numbers" in html and "Thai or Arabic digits" in html
        assert entry.normalized_sha256 in html and entry.text_sha256 in html
        assert f"/verify/{entry.registration_number}/text-0.txt" in html

    def test_an_entry_without_the_stored_normalized_fingerprint_verifies(self, client, entry):
        """Entries written before the normalized fingerprint (or by a bulk load) are verified from their
        text; the migration fills the column for every stored version, the history included."""
        RegistryEntry.objects.filter(pk=entry.pk).update(normalized_sha256="")
        entry.history.update(normalized_sha256="")
        assert matches(check(client, entry, pdf_text_of(entry.charter)))

        migration = __import__("registry.migrations.0006_normalized_text_fingerprint", fromlist=["x"])
        migration.compute_normalized_fingerprints(apps, None)
        entry.refresh_from_db()
        assert entry.normalized_sha256 == normalized_sha256(entry.registered_text)
        assert set(entry.history.values_list("normalized_sha256", flat=True)) == {entry.normalized_sha256}


class TestNormalizing:
    def test_what_is_forgiven(self):
        registered = "ข้อบังคับ พ.ศ. 2569\nหมวด 1 บททั่วไป\nข้อ 1 น้ำใจ ทำงาน 10 000 บาท"
        assert normalize_charter_text(registered) == normalize_charter_text(
            "ข้อบังคับ\u200b พ.ศ. ๒๕๖๙\n\n1 / 3\n-----------\n"
            "หมวด ๑\nบททั่วไป\nข้อ ๑ นํ้าใจ ทํา\nงาน ๑๐ ๐๐๐ บาท\n\x0c2 / 3\n"
            "เลขทะเบียน 57-2569-0001 · 14 พฤษภาคม 2569\n"
            f"ค่า SHA-256 ของข้อความที่จดทะเบียน: {'a' * 64}\n"
            "7/12/26, 13:20 ข้อบังคับ\nhttps://welfare.example.go.th/x/?print=1 1/3\nพิมพ์เมื่อ 7 ธันวาคม 2569"
        )
        # Tone mark after the split nikhahit, as some extractors give it.
        assert normalize_charter_text("น\u0e4d\u0e49\u0e32") == normalize_charter_text("น้ำ")

    def test_what_is_not_forgiven(self):
        base = normalize_charter_text("ข้อ 1 สมาชิก 10 000 บาท")
        assert normalize_charter_text("ข้อ 1 สมาชิก 10 001 บาท") != base
        assert normalize_charter_text("ข้อ 1 สมาชิก 100 00 บาท") != base  # digits regrouped
        assert normalize_charter_text("ข้อ 1 สมาชิกา 10 000 บาท") != base
        assert normalize_charter_text("ข้อ 1 ทา") != normalize_charter_text("ข้อ 1 ทำ")
        # A line that opens with a date is text, not a browser's header.
        assert normalize_charter_text("14/5/2569 09.30 น. ประชุมใหญ่") != normalize_charter_text("")
        assert normalize_charter_text("14/5/2569 10:30 ประชุม") != normalize_charter_text("")



@pytest.mark.django_db
class TestCharterDigits:
    """The web and print views number chapters and clauses in Thai digits by default, as the PDF does,
    or in Arabic digits on request (?digits=arabic); the anchors stay #clause-3 either way."""

    def test_thai_by_default_like_the_pdf(self, client, entry):
        charter = entry.charter
        pdf = pdf_text_of(charter)
        for url in (charter.url, f"{charter.url}?print=1", f"{charter.url}?digits=nonsense"):
            html = client.get(url).content.decode()
            for number in ("๑", "๒", "๓"):
                assert f">ข้อ {number}</a>" in html and f"ข้อ {number}" in pdf
            assert ">หมวด ๒ สมาชิก</h2>" in html
            assert 'id="clause-3"' in html and 'href="#clause-3"' in html
            assert "digits=arabic" in html  # the switch

    def test_arabic_on_request(self, client, entry):
        charter = entry.charter
        for url in (f"{charter.url}?digits=arabic", f"{charter.url}?print=1&digits=arabic"):
            html = client.get(url).content.decode()
            assert ">ข้อ 3</a>" in html and ">หมวด 2 สมาชิก</h2>" in html and ">ข้อ ๓</a>" not in html
            assert 'id="clause-3"' in html
        # The printable view keeps the choice, and back.
        assert "?print=1&amp;digits=arabic" in client.get(f"{charter.url}?digits=arabic").content.decode()
