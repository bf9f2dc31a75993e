"""A committee member imports the charter from Word in Chromium: from the charter's editor, «นำเข้าจาก Word»,
upload a .docx, read the preview, confirm; the new draft has the file's chapters and clauses, the
published version is unchanged, and the browser reports no Content-Security-Policy violation."""

import re

import pytest
from docx import Document

from networks.models import NetworkPage
from pages.models import CharterPage
from tests.factories import PASSWORD, add_charter, make_committee_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINES = (
    "ที่ประชุมใหญ่จึงวางข้อบังคับไว้ดังต่อไปนี้",
    "หมวดที่ 1 บททั่วไป",
    "ข้อ 1. ข้อบังคับนี้เรียกว่า “ข้อบังคับกองทุน”",
    "ข้อ 2. ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ",
    "หมวด ๒ สมาชิก",
    "ข้อ ๓ สมาชิกมีสองประเภท",
    "(๑) สมาชิกสามัญ",
    "(๒) สมาชิกสมทบ",
    "ข้อ ๕ สมาชิกพ้นสภาพเมื่อลาออก",
)


def test_upload_preview_confirm_makes_a_draft_with_the_clauses(chiang_rai, live_server, browser, screenshot, tmp_path):
    fund = NetworkPage.objects.get(level="tambon", area_code="570101")
    make_committee_member(fund, "member")
    charter = add_charter(fund, publish=True)
    published = list(CharterPage.objects.get(pk=charter.pk).chapters.raw_data)
    word_file = tmp_path / "charter.docx"
    document = Document()
    for line in LINES:
        document.add_paragraph(line)
    document.save(word_file)

    base = live_server.url
    page = browser.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "member")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))

    page.goto(f"{base}/admin/pages/{charter.pk}/edit/")
    # The link sits in the header's actions menu, which Wagtail's dropdown shows when opened.
    page.locator("header [data-w-dropdown-target='toggle']").first.click()
    import_link = page.locator(f'a[href="/admin/charters/{charter.pk}/word-import/"]')
    import_link.wait_for()
    screenshot(page, "actions-menu")
    import_link.click()
    page.wait_for_url(re.compile(rf".*/admin/charters/{charter.pk}/word-import/$"))
    screenshot(page, "upload")

    page.set_input_files("#id_file", str(word_file))
    page.locator("#word-upload-form button[type=submit]").click()
    page.wait_for_selector("#word-preview")
    screenshot(page, "preview")
    problems = page.locator("#word-problems li")
    assert problems.count() == 1
    assert "5" in problems.first.inner_text()  # clause ๕ follows ๓: the gap is reported
    assert page.locator("#word-preview .word-preview__chapter").count() == 2

    page.locator("#word-confirm-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{charter.pk}/edit/$"))
    screenshot(page, "saved-as-draft")

    stored = CharterPage.objects.get(pk=charter.pk)
    draft = stored.get_latest_revision_as_object()
    assert draft.numbered_chapters() == [
        (1, "บททั่วไป", [(1, "ข้อบังคับนี้เรียกว่า “ข้อบังคับกองทุน”"), (2, "ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ")]),
        (2, "สมาชิก", [(3, "สมาชิกมีสองประเภท\n(๑) สมาชิกสามัญ\n(๒) สมาชิกสมทบ"), (4, "สมาชิกพ้นสภาพเมื่อลาออก")]),
    ]
    assert draft.preamble == "ที่ประชุมใหญ่จึงวางข้อบังคับไว้ดังต่อไปนี้"
    assert stored.has_unpublished_changes and list(stored.chapters.raw_data) == published
    # The editor now shows the imported clauses in its form.
    page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')].some(t => t.value === 'สมาชิกพ้นสภาพเมื่อลาออก')"
    )
    assert violations == []
