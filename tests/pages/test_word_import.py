"""Charters from Word through the admin, as its users post them: upload, preview, confirm (a new draft
revision, never published), who may, bad files; and the .docx export of any version, in the admin and
on the public charter page."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from wagtail.models import PageViewRestriction, Revision

from networks.models import HomePage, NetworkLevel, NetworkPage
from pages import wordio
from pages.models import CharterPage
from tests.factories import add_charter, make_committee_member, make_provincial_officer, small_tree
from tests.scoped import built_once_per_module, refetched

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMPORTED = (
    "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง",  # the title of `charter`, left out of the preamble
    "อาศัยมติที่ประชุมใหญ่ ครั้งที่ ๑/๒๕๖๙",
    "หมวด ๑ บททั่วไป",
    "ข้อ ๑ ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”",
    "หมวด ๒ วัตถุประสงค์",
    "ข้อ ๒ เพื่อส่งเสริมการออม",
    "(๑) ออมทุกเดือน",
    "ข้อ ๓ เพื่อจัดสวัสดิการ",
    "หมวด ๓ สมาชิก",
    "ข้อ ๔ สมาชิกต้องมีภูมิลำเนาในตำบล",
)


def docx_upload(lines=IMPORTED, name="charter.docx"):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    output = io.BytesIO()
    document.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type=DOCX)


MEMBER = "wiang-member"


def build_small_tree():
    """The small tree, with a published charter of its tambon fund (so that a draft and the public version
    differ) and a member of the fund's committee: built once for the module, each test's writes roll back."""
    tree = small_tree(HomePage.objects.get())
    add_charter(tree["wiang"], publish=True)
    make_committee_member(tree["wiang"], MEMBER)
    return tree


_small_tree = built_once_per_module(build_small_tree)


@pytest.fixture
def fund(tree):
    """Tambon Wiang (570101), whose fund has the charter and the member."""
    return NetworkPage.objects.get(level=NetworkLevel.TAMBON, area_code="570101")


@pytest.fixture
def tree(_small_tree, db):
    return refetched(_small_tree)


@pytest.fixture
def charter(fund):
    return CharterPage.objects.child_of(fund).get()


@pytest.fixture
def member(fund):
    return get_user_model().objects.get(username=MEMBER)


def import_url(charter):
    return reverse("pages_charter_word_import", args=[charter.pk])


def latest(charter):
    return CharterPage.objects.get(pk=charter.pk).get_latest_revision_as_object()


def preview(client, charter, upload):
    response = client.post(import_url(charter), {"file": upload})
    assert response.status_code == 200
    return response


def payload_of(response):
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no confirmation"
    return match.group(1)


def test_upload_preview_confirm_saves_a_draft_revision(client, charter, member):
    client.force_login(member)
    live_chapters = list(CharterPage.objects.get(pk=charter.pk).chapters.raw_data)
    revisions_before = Revision.objects.for_instance(charter).count()

    page = client.get(import_url(charter))
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()

    shown = preview(client, charter, docx_upload())
    html = shown.content.decode()
    assert 'id="word-preview"' in html
    for text in ("หมวด 1 บททั่วไป", "หมวด 3 สมาชิก", "เพื่อส่งเสริมการออม<br>(๑) ออมทุกเดือน", "อาศัยมติที่ประชุมใหญ่"):
        assert text in html
    # Nothing is saved by the preview.
    assert Revision.objects.for_instance(charter).count() == revisions_before

    done = client.post(import_url(charter), {"payload": payload_of(shown)})
    assert done.status_code == 302
    assert done["Location"] == reverse("wagtailadmin_pages:edit", args=[charter.pk])

    stored = CharterPage.objects.get(pk=charter.pk)
    assert Revision.objects.for_instance(charter).count() == revisions_before + 1
    assert stored.latest_revision.user == member
    # A draft: the published version did not change.
    assert stored.live and stored.has_unpublished_changes
    assert list(stored.chapters.raw_data) == live_chapters
    draft = latest(charter)
    assert [(n, t, c) for n, t, c in draft.numbered_chapters()] == [
        (1, "บททั่วไป", [(1, "ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”")]),
        (2, "วัตถุประสงค์", [(2, "เพื่อส่งเสริมการออม\n(๑) ออมทุกเดือน"), (3, "เพื่อจัดสวัสดิการ")]),
        (3, "สมาชิก", [(4, "สมาชิกต้องมีภูมิลำเนาในตำบล")]),
    ]
    # The charter's title line is not taken as the preamble.
    assert draft.preamble == "อาศัยมติที่ประชุมใหญ่ ครั้งที่ ๑/๒๕๖๙"
    assert draft.title == charter.title


def test_irregular_fixture_preview_reports_what_it_could_not_place(client, charter, member):
    client.force_login(member)
    data = (Path(__file__).parent / "data" / "irregular_charter.docx").read_bytes()
    upload = SimpleUploadedFile("irregular_charter.docx", data, content_type=DOCX)
    html = preview(client, charter, upload).content.decode()
    problems = re.search(r'<section aria-labelledby="word-problems-heading" id="word-problems">(.*?)</section>', html, re.S)
    assert problems.group(1).count("<li") == 3
    # Warnings do not stop the import; the clauses were renumbered on.
    assert 'id="word-confirm-form"' in html
    assert "word-preview__renumbered" in html


def test_a_file_with_blocking_problems_offers_no_confirmation(client, charter, member):
    client.force_login(member)
    html = preview(client, charter, docx_upload(["ข้อ ๑ ไม่มีหมวด", "ข้อ ๒ ไม่มีหมวด"])).content.decode()
    assert 'id="word-confirm-form"' not in html
    assert 'name="payload"' not in html


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("charter.docx", b"", content_type=DOCX),
        SimpleUploadedFile("charter.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type=DOCX),
        SimpleUploadedFile("charter.pdf", b"%PDF-1.4 nothing", content_type="application/pdf"),
        SimpleUploadedFile("charter.doc", b"\xd0\xcf\x11\xe0" + b"0" * 64, content_type="application/msword"),
        SimpleUploadedFile("charter.txt", b"x" * (wordio.MAX_UPLOAD_BYTES + 1), content_type="text/plain"),
    ],
    ids=["empty", "png-named-docx", "pdf", "old-doc", "too-large"],
)
def test_bad_files_are_refused_with_a_message_and_nothing_saved(client, charter, member, upload):
    client.force_login(member)
    revisions_before = Revision.objects.for_instance(charter).count()
    response = client.post(import_url(charter), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="word-upload-error"' in html
    assert 'id="word-preview"' not in html
    assert Revision.objects.for_instance(charter).count() == revisions_before


def test_a_tampered_or_foreign_preview_saves_nothing(client, charter, member, fund):
    client.force_login(member)
    revisions_before = Revision.objects.for_instance(charter).count()
    payload = payload_of(preview(client, charter, docx_upload()))

    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = client.post(import_url(charter), {"payload": tampered})
    assert response.status_code == 302 and response["Location"] == import_url(charter)

    # The same payload posted for another charter of the same committee is refused too.
    other = add_charter(fund, title="ข้อบังคับฉบับที่สอง")
    response = client.post(import_url(other), {"payload": payload})
    assert response.status_code == 302 and response["Location"] == import_url(other)
    assert Revision.objects.for_instance(charter).count() == revisions_before


def test_a_charter_changed_after_the_preview_is_not_overwritten(client, charter, member):
    client.force_login(member)
    payload = payload_of(preview(client, charter, docx_upload()))
    draft = latest(charter)
    draft.preamble = "แก้ไขระหว่างดูตัวอย่าง"
    draft.save_revision(user=member)
    revisions = Revision.objects.for_instance(charter).count()

    response = client.post(import_url(charter), {"payload": payload})
    assert response.status_code == 302 and response["Location"] == import_url(charter)
    assert Revision.objects.for_instance(charter).count() == revisions
    assert latest(charter).preamble == "แก้ไขระหว่างดูตัวอย่าง"


def test_only_those_who_may_edit_the_charter_may_import(client, charter, member, tree):
    other_committee = make_committee_member(tree["mueang_sp"], "other-member")
    officer = make_provincial_officer("officer57-word", "57", admin_access=True)
    revisions_before = Revision.objects.for_instance(charter).count()
    # A payload made by the member, replayed by others.
    client.force_login(member)
    payload = payload_of(preview(client, charter, docx_upload()))

    for user in (other_committee, officer):
        client.force_login(user)
        assert client.get(import_url(charter)).status_code == 403
        assert client.post(import_url(charter), {"file": docx_upload()}).status_code == 403
        assert client.post(import_url(charter), {"payload": payload}).status_code == 403
    client.logout()
    assert client.get(import_url(charter)).status_code == 302  # to the login page
    assert client.post(import_url(charter), {"payload": payload}).status_code == 302
    assert Revision.objects.for_instance(charter).count() == revisions_before


def test_a_locked_charter_cannot_be_imported_into(client, charter, member, tree):
    holder = make_committee_member(tree["wiang"], "lock-holder")
    CharterPage.objects.filter(pk=charter.pk).update(locked=True, locked_by=holder)
    client.force_login(member)
    assert client.get(import_url(charter)).status_code == 403


def test_the_edit_page_offers_import_and_download(client, charter, member, tree):
    client.force_login(member)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk])).content.decode()
    assert import_url(charter) in html
    assert reverse("pages_charter_word", args=[charter.pk]) in html


# --- Export ---------------------------------------------------------------------------------------------


def docx_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]


def test_any_revision_is_exported_and_a_reader_may_download_it(client, charter, member):
    first_revision = charter.latest_revision
    client.force_login(member)
    client.post(import_url(charter), {"payload": payload_of(preview(client, charter, docx_upload()))})

    officer = make_provincial_officer("officer57-reader", "57", admin_access=True)
    client.force_login(officer)
    latest_text = docx_text(client.get(reverse("pages_charter_word", args=[charter.pk])))
    assert "หมวด ๓ สมาชิก" in latest_text and "ข้อ ๔ สมาชิกต้องมีภูมิลำเนาในตำบล" in latest_text

    old_text = docx_text(client.get(reverse("pages_charter_revision_word", args=[charter.pk, first_revision.pk])))
    assert old_text[-1] == "ข้อ ๒ คณะกรรมการมีวาระสองปี"
    assert "หมวด ๓ สมาชิก" not in old_text

    # The read-only view lists a .docx per version.
    reading = client.get(reverse("pages_read_document", args=[charter.pk])).content.decode()
    assert reverse("pages_charter_revision_word", args=[charter.pk, first_revision.pk]) in reading


def test_export_is_refused_to_strangers_and_revisions_of_other_pages(client, charter, tree):
    stranger = make_committee_member(tree["mueang_sp"], "stranger")
    client.force_login(stranger)
    assert client.get(reverse("pages_charter_word", args=[charter.pk])).status_code == 403
    other = add_charter(tree["mueang_sp"])
    client.force_login(make_provincial_officer("officer57-x", "57", admin_access=True))
    response = client.get(reverse("pages_charter_revision_word", args=[charter.pk, other.latest_revision.pk]))
    assert response.status_code == 404


def test_round_trip_through_the_admin_gives_the_same_chapters_and_clauses(client, fund, member):
    charter = add_charter(fund, chapters=[
        ("บททั่วไป", ["ข้อบังคับนี้เรียกว่า “ข้อบังคับ”", "ให้ใช้บังคับตั้งแต่วันที่ 1 มกราคม 2569"]),
        ("สมาชิก", ["สมาชิกมีสองประเภท\n(๑) สามัญ\n(๒) สมทบ"]),
        ("บทเฉพาะกาล", ["ให้คณะกรรมการชุดแรกอยู่ในตำแหน่งสองปี"]),
    ], preamble="อาศัยมติที่ประชุมใหญ่")
    before = latest(charter)
    client.force_login(member)
    exported = client.get(reverse("pages_charter_word", args=[charter.pk]))
    shown = preview(client, charter, SimpleUploadedFile("charter.docx", exported.content, content_type=DOCX))
    assert 'id="word-problems"' in shown.content.decode()
    assert client.post(import_url(charter), {"payload": payload_of(shown)}).status_code == 302
    after = latest(charter)
    assert after.numbered_chapters() == before.numbered_chapters()
    assert after.preamble == before.preamble
    assert Revision.objects.for_instance(charter).count() == 2


def test_public_download_is_the_published_version_only(client, charter, member, fund, django_assert_max_num_queries):
    client.force_login(member)
    client.post(import_url(charter), {"payload": payload_of(preview(client, charter, docx_upload()))})
    client.logout()

    url = reverse("public:charter_word", args=[charter.pk])
    with django_assert_max_num_queries(3):
        text = docx_text(client.get(url))
    # The published version, not the imported draft.
    assert "ข้อ ๒ คณะกรรมการมีวาระสองปี" in text and "หมวด ๓ สมาชิก" not in text

    page_html = client.get(charter.url).content.decode()
    assert url in page_html

    draft_only = add_charter(fund, title="ร่างที่ยังไม่เผยแพร่")
    assert client.get(reverse("public:charter_word", args=[draft_only.pk])).status_code == 404
    PageViewRestriction.objects.create(page=charter, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(url).status_code == 404


def test_a_charter_on_its_approval_road_cannot_be_imported_into(client, charter, member):
    draft = latest(charter)
    draft.save_revision(user=member)
    draft.get_workflow().start(draft, member)
    assert CharterPage.objects.get(pk=charter.pk).workflow_in_progress
    client.force_login(member)
    assert client.get(import_url(charter)).status_code == 403
    html = client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk])).content.decode()
    assert import_url(charter) not in html
