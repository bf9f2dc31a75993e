"""Official PDFs: content checked by extracting the text, regeneration when the source changes, links
for templates (a registration's certificate: test_certificate_pdf.py)."""

import datetime

from django.urls import reverse
from wagtail.documents import get_document_model

from core.thaidate import thai_numerals
from documents import api
from documents.generation import generate
from documents.models import DocumentKind, GeneratedDocument
from registry import services
from tests.factories import add_charter, add_minutes, add_province

from .conftest import PREAMBLE, REGISTERED_ON, normalise, pdf_text


def make_minutes(network, *, publish=True):
    """Minutes with every part the PDF prints: members present (one a substitute), absent, two agenda
    items (one with a vote), the recorder and the reviewer."""
    return add_minutes(
        network,
        title="รายงานการประชุมคณะกรรมการ ครั้งที่ 1/2562",
        date=datetime.date(2019, 5, 14),
        body_name="คณะกรรมการเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        place="ห้องประชุมองค์การบริหารส่วนตำบลบ้านดู่",
        recorder_name="นางสาวอรทัย ใจดี",
        recorder_position="เลขานุการ",
        reviewer_name="นายสมชาย รักถิ่น",
        reviewer_position="ประธาน",
        present=[
            {"name": "นายสมชาย รักถิ่น", "position": "ประธาน"},
            {"name": "นางสมศรี มีสุข", "position": "กรรมการ", "substitute_for": "นายมานพ ดีงาม"},
        ],
        absent=[{"name": "นายประเสริฐ ทองดี", "position": "กรรมการ", "reason": "ติดราชการ"}],
        agenda=[
            {"title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "summary": "ประธานแจ้งกำหนดการประชุมใหญ่",
             "resolution": "รับทราบ"},
            {"title": "เรื่องเพื่อพิจารณา", "summary": "พิจารณาร่างข้อบังคับ", "resolution": "เห็นชอบร่างข้อบังคับ",
             "votes_for": 12, "votes_against": 0, "votes_abstain": 1},
        ],
        publish=publish,
    )


def test_minutes_pdf_in_the_official_layout(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_minutes(network)
    document = api.current_document(page, DocumentKind.MINUTES)
    assert document is not None
    text = pdf_text(document)
    for expected in [
        "รายงานการประชุมคณะกรรมการเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        "ครั้งที่ ๑/๒๕๖๒",
        "เมื่อวันที่ ๑๔ พฤษภาคม ๒๕๖๒",
        "ณ ห้องประชุมองค์การบริหารส่วนตำบลบ้านดู่",
        "ผู้มาประชุม",
        "นางสมศรี มีสุข กรรมการ แทน นายมานพ ดีงาม",
        "ผู้ไม่มาประชุม",
        "(ติดราชการ)",
        "เริ่มประชุมเวลา ๐๙.๓๐ น.",
        "ระเบียบวาระที่ ๒ เรื่องเพื่อพิจารณา",
        "มติที่ประชุม เห็นชอบร่างข้อบังคับ",
        "เลิกประชุมเวลา ๑๒.๐๐ น.",
        "ผู้จดรายงานการประชุม",
        "ผู้ตรวจรายงานการประชุม",
    ]:
        assert normalise(expected) in text, expected
    # Published minutes are public; the collection has no view restriction.
    assert not document.collection.get_view_restrictions().exists()


def test_unpublished_minutes_pdf_is_for_signed_in_users_only(network):
    page = make_minutes(network, publish=False)
    generated = generate(DocumentKind.MINUTES, page.pk)
    assert generated.document.collection.get_view_restrictions().exists()


def test_charter_pdf_numbers_chapters_and_clauses(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        charter = add_charter(network, preamble=PREAMBLE, publish=True)
    text = pdf_text(api.current_document(charter, DocumentKind.CHARTER))
    assert normalise(charter.title) in text
    assert normalise("หมวด ๑ บททั่วไป") in text
    assert normalise("ข้อ ๑ สมาชิกต้องมีภูมิลำเนาในตำบล") in text
    assert normalise("หมวด ๒ สมาชิก") in text
    assert normalise("ข้อ ๒ คณะกรรมการมีวาระสองปี") in text


def test_charter_change_makes_a_new_current_pdf(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        charter = add_charter(network, preamble=PREAMBLE, publish=True)
    first = api.current_generated(charter, DocumentKind.CHARTER)
    charter.chapters = [("chapter", {"title": "บททั่วไป", "clauses": ["ข้อความใหม่ของข้อบังคับ"]})]
    with django_capture_on_commit_callbacks(execute=True):
        charter.save_revision().publish()
    second = api.current_generated(charter, DocumentKind.CHARTER)
    assert second.pk != first.pk and second.content_sha256 != first.content_sha256
    assert normalise("ข้อความใหม่ของข้อบังคับ") in pdf_text(second.document)
    assert GeneratedDocument.objects.for_object(charter, DocumentKind.CHARTER).current().count() == 1


def test_announcement_lists_the_newly_registered(home, registrar, django_capture_on_commit_callbacks):
    names = ["เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "เครือข่ายสวัสดิการชุมชนจังหวัดลำปาง"]
    with django_capture_on_commit_callbacks(execute=True):
        for code, name in zip(["57", "52"], names, strict=True):
            services.register(add_charter(add_province(home, code, name, publish=True), preamble=PREAMBLE, publish=True), registrar, on_date=REGISTERED_ON)
        announcement = services.issue_announcement(registrar, on_date=datetime.date(2026, 6, 1))
    text = pdf_text(api.current_document(announcement, DocumentKind.ANNOUNCEMENT))
    assert normalise("รายชื่อองค์กรสวัสดิการชุมชนที่ได้รับการรับรอง") in text

    assert normalise(f"(ฉบับที่ {thai_numerals(announcement.number)})") in text
    for name in names:
        assert normalise(name) in text
    assert normalise("เชียงราย") in text and normalise("ลำปาง") in text  # provinces
    assert normalise("๑ มิถุนายน ๒๕๖๙") in text


def test_current_documents_for_a_listing_in_one_query(home, registrar, django_capture_on_commit_callbacks,
                                                      django_assert_num_queries):
    entries = []
    with django_capture_on_commit_callbacks(execute=True):
        for code in ["57", "52", "50"]:
            network = add_province(home, code, f"เครือข่ายสวัสดิการชุมชน {code}", publish=True)
            entries.append(services.register(add_charter(network, preamble=PREAMBLE, publish=True), registrar, on_date=REGISTERED_ON))
    with django_assert_num_queries(1):
        found = api.current_documents(entries, DocumentKind.CERTIFICATE)
        urls = [found[e.pk].url for e in entries]
    assert len(set(urls)) == 3


def test_a_gone_source_makes_nothing(db):
    assert generate(DocumentKind.CERTIFICATE, 987654) is None
    assert not get_document_model().objects.exists()


def test_charter_edit_page_links_its_official_pdf(network, client, django_user_model,
                                                  django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=True):
        charter = add_charter(network, preamble=PREAMBLE, publish=True)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk]))
    assert response.status_code == 200
    assert api.current_document(charter, DocumentKind.CHARTER).url in response.content.decode()
