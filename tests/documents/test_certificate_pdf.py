"""A registration's certificate: its content checked by extracting the text, A4 in Sarabun, idempotent
generation, regeneration on revocation, the admin's listing and the template tag. The registration and its
certificate are built once for the module; what a test writes rolls back (the files it stores stay in the
module's media folder, where nothing reads them)."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse
from pypdf import PdfReader

from core.thaidate import thai_numerals
from documents import api
from documents.generation import generate, render_source
from documents.models import DocumentKind, GeneratedDocument
from documents.rendering import html_to_pdf, qr_code_data_uri, verification_url
from networks.models import HomePage
from registry import duties, services
from registry.models import NoticeKind
from tests.factories import (
    LONG_AGO,
    add_charter,
    add_province,
    make_committee_member,
    make_registrar,
    make_user,
)
from tests.scoped import built_once_per_module, refetched

from .conftest import PREAMBLE, REGISTERED_ON, normalise, pdf_text


def build_registration():
    """A provincial network's published charter, registered; its certificate made by the work the
    registration leaves for after the commit, run here."""
    registrar = make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    charter = add_charter(add_province(HomePage.objects.get(), publish=True), preamble=PREAMBLE, publish=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.register(charter, registrar, conditions="รายงานผลการดำเนินงานทุกหกเดือน", on_date=REGISTERED_ON)


@pytest.fixture(scope="module")
def _module_media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield settings.MEDIA_ROOT


_registration = built_once_per_module(build_registration, "_module_media")


@pytest.fixture(autouse=True)
def media_root(_module_media):
    """The module's media folder (in place of conftest.py's one per test): the certificate is stored there."""
    return _module_media


@pytest.fixture
def registrar(entry):
    """The registrar who registered it (in place of tests/conftest.py's)."""
    return entry.registered_by


@pytest.fixture
def entry(_registration, db):
    return refetched(_registration)


def test_registration_makes_the_certificate(entry):
    generated = GeneratedDocument.objects.get(kind=DocumentKind.CERTIFICATE, object_id=entry.pk)
    assert generated.is_current
    assert generated.document.file.name.endswith(".pdf")
    text = pdf_text(generated.document)
    assert normalise("ใบสำคัญแสดงการรับรององค์กรสวัสดิการชุมชน") in text
    assert normalise(entry.organization_name) in text
    assert normalise("๑๔ พฤษภาคม ๒๕๖๙") in text  # Buddhist Era, Thai numerals
    assert normalise(entry.registration_number) in text

    assert normalise(thai_numerals(entry.registration_number)) in text
    assert normalise("รายงานผลการดำเนินงานทุกหกเดือน") in text  # conditions
    assert entry.text_sha256 in text.replace(" ", "")
    assert normalise(f"/verify/{entry.registration_number}/") in text.replace(" ", "")


def test_certificate_pdf_is_a4_in_sarabun(entry):
    document = api.current_document(entry, DocumentKind.CERTIFICATE)
    with document.file.open("rb") as f:
        reader = PdfReader(f)
        page = reader.pages[0]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert fonts and all("Sarabun" in name for name in fonts)


def test_same_input_gives_one_document_and_the_same_text(entry):
    first = api.current_generated(entry, DocumentKind.CERTIFICATE)
    # Asking again for an unchanged source is deduplicated before anything is queued...
    assert api.request_certificate(entry) is None
    # ...and running the generation again (a redelivered task) finds the existing document.
    assert generate(DocumentKind.CERTIFICATE, entry.pk) == first
    assert GeneratedDocument.objects.filter(object_id=entry.pk, kind=DocumentKind.CERTIFICATE).count() == 1
    # A fresh rendering of the same input has exactly the same text.
    html, _sha = render_source(DocumentKind.CERTIFICATE, entry)
    again = normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(html))).pages))
    assert again == pdf_text(first.document)


def test_revocation_regenerates_the_certificate(entry, registrar, django_capture_on_commit_callbacks):
    before = api.current_generated(entry, DocumentKind.CERTIFICATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(entry, registrar, "ไม่มีผลการดำเนินงาน", on_date=datetime.date(2027, 1, 10))
    after = api.current_generated(entry, DocumentKind.CERTIFICATE)
    assert after.pk != before.pk
    before.refresh_from_db()
    assert not before.is_current  # the old one stays, no longer current
    text = pdf_text(after.document)
    assert normalise("ถูกเพิกถอนการรับรองแล้ว") in text
    assert normalise("๑๐ มกราคม ๒๕๗๐") in text


def test_an_accepted_dissolution_regenerates_the_certificate(entry, registrar, django_capture_on_commit_callbacks):
    """The registrar accepts the organization's notice of its dissolution (registry.duties): the
    certificate is made again with the date, as for a revocation."""
    secretary = make_committee_member(entry.network, "secretary", role="secretary")
    before = api.current_generated(entry, DocumentKind.CERTIFICATE)
    with django_capture_on_commit_callbacks(execute=True):
        notice = duties.file_notice(
            entry, secretary, kind=NoticeKind.DISSOLUTION, changed_on=datetime.date(2027, 1, 10),
            details="มติที่ประชุมใหญ่ให้ยุบเลิกองค์กร", today=datetime.date(2027, 1, 20),
        )
        duties.accept(notice, registrar)
    after = api.current_generated(entry, DocumentKind.CERTIFICATE)
    assert after.pk != before.pk
    text = pdf_text(after.document)
    assert normalise("องค์กรยุบเลิกแล้ว") in text and normalise("๑๐ มกราคม ๒๕๗๐") in text
    assert normalise("ถูกเพิกถอน") not in text


def test_staff_find_the_pdfs_in_the_admin(entry, client, django_user_model, django_assert_max_num_queries):
    staff = make_user("staff", admin_access=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_generateddocument"))
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("generated_document:index"))
    assert response.status_code == 200
    document = api.current_document(entry, DocumentKind.CERTIFICATE)
    assert document.url in response.content.decode()


def test_template_tag_gives_the_current_pdf(entry):
    html = Template('{% load official_documents %}{% official_pdf entry "certificate" as pdf %}{{ pdf.url }}').render(
        Context({"entry": entry})
    )
    assert html == api.current_document(entry, DocumentKind.CERTIFICATE).url


def test_generate_documents_command_queues_only_what_changed(entry, capsys):
    call_command("generate_documents", "certificate")
    assert "0 " in capsys.readouterr().out  # the certificate is up to date


def test_certificate_qr_code_links_the_public_verification_page(entry):
    url = verification_url(entry.registration_number)
    assert url.endswith(f"/verify/{entry.registration_number}/") and "/en/" not in url
    html, _sha = render_source(DocumentKind.CERTIFICATE, entry)
    assert qr_code_data_uri(url) in html
