"""The whole road in a real browser, as its users go it: the provincial officer invites the chair of a
new tambon fund's committee, who sets a password from the invitation's e-mail and signs in; the committee
imports its charter from a Word file (upload, preview, confirm) and submits it; each approver acts in the
Wagtail admin in turn and the registrar registers it; the public finds it by a Thai search, opens it and
verifies its registration number; after the first half-year the chair files the half-year report, the
registrar accepts it and the public registry shows it. Screenshots of every step go to
artifacts/screenshots/from_invitation_to_an_accepted_half_year_report/.

That the import leaves a published version untouched is asserted in tests/pages/test_word_import.py
(the fund here has none yet)."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from docx import Document

from networks.models import NetworkPage
from outbox.models import OutboxMessage
from pages.models import CharterPage
from registry.duties import periods_to_report
from registry.models import FilingStatus, HalfYearReport, MoneySource, RegistryEntry
from tests.factories import (
    add_adopting_minutes,
    add_network,
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_registrar,
)

from .steps import login, resume

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHARTER_TITLE = "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง"
VERSION = "พ.ศ. ๒๕๖๙"
PREAMBLE = "อาศัยมติที่ประชุมสมัชชากองทุนสวัสดิการชุมชนตำบลเวียง จึงวางข้อบังคับไว้ดังต่อไปนี้"
CLAUSE = "กองทุนจ่ายสวัสดิการแก่สมาชิกผู้สูงอายุเดือนละสองร้อยบาท"
SEARCH_WORD = "ผู้สูงอายุ"
# The committee's Word file as typed: title and version on top (the import skips them, the page has
# them), Arabic and Thai numerals, a clause running over several lines, and a gap in the numbering
# (ข้อ ๕ after ข้อ ๓) that the preview reports and the import renumbers.
WORD_LINES = (
    CHARTER_TITLE,
    VERSION,
    PREAMBLE,
    "หมวดที่ 1 บททั่วไป",
    "ข้อ 1. ข้อบังคับนี้เรียกว่า “ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง”",
    "ข้อ 2. ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ",
    "หมวด ๒ สมาชิก",
    "ข้อ ๓ สมาชิกมีสองประเภท",
    "(๑) สมาชิกสามัญ",
    "(๒) สมาชิกสมทบ",
    "ข้อ ๕ สมาชิกพ้นสภาพเมื่อลาออก",
    "หมวด ๓ สวัสดิการ",
    f"ข้อ ๖ {CLAUSE}",
)
IMPORTED_CHAPTERS = [
    (1, "บททั่วไป", [(1, "ข้อบังคับนี้เรียกว่า “ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง”"),
                     (2, "ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมมีมติ")]),
    (2, "สมาชิก", [(3, "สมาชิกมีสองประเภท\n(๑) สมาชิกสามัญ\n(๒) สมาชิกสมทบ"), (4, "สมาชิกพ้นสภาพเมื่อลาออก")]),
    (3, "สวัสดิการ", [(5, CLAUSE)]),
]
CHAIR = {"first_name": "สมหญิง", "last_name": "ใจงาม", "email": "somying@example.org", "username": "somying"}
CHAIR_PASSWORD = "รหัสผ่านใหม่-ประธาน-2569"


@pytest.fixture
def road(chiang_rai):
    """The Wiang tambon fund with its committee's member and secretary (the chair is invited on the
    road), its local office, the province's officer, the registrar, and the minutes of the assembly
    that adopted the charter (quorum: 4 of 5 present)."""
    tambon = NetworkPage.objects.get(level="tambon", area_code="570101")  # Wiang, Mueang Chiang Rai

    def mail(name):
        return {"email": f"{name}@example.org"}

    people = {name: make_committee_member(tambon, name, name, **mail(name)) for name in ("member", "secretary")}
    people["local"] = make_local_office("local", tambon, "อบต.เวียง", **mail("local"))
    people["officer"] = make_provincial_officer("officer", "57", first_name="วรวุฒิ", last_name="ทองคำ", **mail("officer"))
    people["registrar"] = make_registrar("registrar", **mail("registrar"))
    minutes = add_adopting_minutes(
        tambon, 1, present=4, date=datetime.date.today(), title="รายงานการประชุมสมัชชา ครั้งที่ 1",
        body_name="สมัชชากองทุนสวัสดิการชุมชนตำบลเวียง",
    )
    return {"tambon": tambon, "minutes": minutes, "adoption": minutes.adoption_item, **people}


def choose(field, value):
    """Pick `value` in a select, or type it into an input."""
    if field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(str(value))
    else:
        field.fill(str(value))


def current_step(charter):
    """The class name of the workflow task the charter waits at, or None when no workflow runs."""
    state = CharterPage.objects.get(pk=charter.pk).current_workflow_state
    task_state = state.current_task_state if state else None
    return type(task_state.task.specific).__name__ if task_state else None


def open_more_actions(page):
    page.locator("footer .w-dropdown__toggle").first.click()


def act(page, base, charter_id, fill_modal=None):
    """On the charter's edit page, take the current step's approving action (the first one offered),
    filling its dialog when it has one."""
    page.goto(f"{base}/admin/pages/{charter_id}/edit/")
    open_more_actions(page)
    approve = page.locator('footer button[data-workflow-action-name="approve"]')
    assert approve.count(), "no approving action is offered to this user on the edit page"
    button = approve.first
    if button.get_attribute("data-workflow-action-modal-url"):
        button.click()
        modal = page.locator(".modal form")
        modal.wait_for()
        if fill_modal:
            fill_modal(modal)
        with page.expect_navigation():
            modal.locator("button[type=submit], input[type=submit]").first.click()
    else:
        with page.expect_navigation():
            button.click()
    page.wait_for_load_state()


def word_file(path):
    document = Document()
    for line in WORD_LINES:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_from_invitation_to_an_accepted_half_year_report(live_server, browser, screenshot, road, tmp_path):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    tambon = road["tambon"]
    # A network of another province, which the officer of Chiang Rai must not be offered.
    national = NetworkPage.objects.get(level="national")
    central = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคกลาง", "region")
    samut_prakan = add_network(central, "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "province", "11")

    # 1. The provincial officer invites the chair of the new fund's committee.
    login(page, base, "officer")
    # Each user signs in through the form once; their later turns on the same day resume their session.
    sessions = {"officer": page.context.cookies()}
    # The admin's Thai letters come from the project's Sarabun, not a system font. (Under load Chromium
    # may answer before it has read the page's faces: asked again for up to two seconds.)
    loaded = page.evaluate("""async () => {
        await document.fonts.ready;
        for (let attempt = 0; attempt < 20; attempt++) {
            const faces = await document.fonts.load('16px "Sarabun Thai"', 'ก');
            if (faces.length) return faces.map(face => face.family);
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        return [];
    }""")
    assert loaded and all(family.strip('"') == "Sarabun Thai" for family in loaded)
    assert "Sarabun Thai" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page.get_by_role("link", name=re.compile("เชิญบุคคล|Invite a person")).first.click()
    page.wait_for_url(re.compile(r".*/admin/people/invite/$"))
    offered = page.locator("#id_network option").all_inner_texts()
    assert tambon.title in offered and samut_prakan.title not in offered
    page.fill("#id_first_name", CHAIR["first_name"])
    page.fill("#id_last_name", CHAIR["last_name"])
    page.fill("#id_email", CHAIR["email"])
    page.select_option("#id_network", str(tambon.pk))
    page.select_option("#id_role", "chair")
    screenshot(page, "officer-invites-chair")
    # The form posts to its own URL: wait for the answer's load, not for a URL that already matches.
    with page.expect_navigation(url=re.compile(r".*/admin/people/invite/$")):
        page.click("main form button[type=submit]")
    assert CHAIR["username"] in page.content()

    # The invitation's e-mail (from the outbox) has the link where the chair sets a password.
    message = OutboxMessage.objects.get(dedupe_key__startswith="people:invitation:")
    link = re.search(r"https?://\S+?(/admin/password_reset/confirm/\S+/)", message.payload["body"]).group(1)
    page.context.clear_cookies()
    page.goto(f"{base}{link}")
    page.fill("#id_new_password1", CHAIR_PASSWORD)
    page.fill("#id_new_password2", CHAIR_PASSWORD)
    screenshot(page, "chair-sets-password")
    page.click("main form button[type=submit], form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/password_reset/complete/$"))
    login(page, base, CHAIR["username"], CHAIR_PASSWORD)
    sessions["chair"] = page.context.cookies()
    screenshot(page, "chair-dashboard")
    assert tambon.title in page.content()

    # 2. A committee member starts the charter in the admin and imports its text from Word.
    login(page, base, "member")
    screenshot(page, "committee-dashboard")
    page.goto(f"{base}/admin/pages/add/pages/charterpage/{tambon.pk}/")
    page.fill("#id_title", CHARTER_TITLE)
    page.fill("#id_version_label", VERSION)
    with page.expect_navigation():
        page.locator("footer button.action-save").first.click()
    charter = CharterPage.objects.get(title=CHARTER_TITLE)
    page.goto(f"{base}/admin/pages/{charter.pk}/edit/")
    # The link sits in the header's actions menu, which Wagtail's dropdown shows when opened.
    page.locator("header [data-w-dropdown-target='toggle']").first.click()
    import_link = page.locator(f'a[href="/admin/charters/{charter.pk}/word-import/"]')
    import_link.wait_for()
    screenshot(page, "committee-actions-menu")
    import_link.click()
    page.wait_for_url(re.compile(rf".*/admin/charters/{charter.pk}/word-import/$"))
    screenshot(page, "committee-word-upload")
    page.set_input_files("#id_file", str(word_file(tmp_path / "ข้อบังคับ.docx")))
    page.locator("#word-upload-form button[type=submit]").click()
    page.wait_for_selector("#word-preview")
    screenshot(page, "committee-word-preview")
    problems = page.locator("#word-problems li")
    assert problems.count() == 1
    assert "5" in problems.first.inner_text()  # clause ๕ follows ๓: the gap is reported
    assert page.locator("#word-preview .word-preview__chapter").count() == 3
    page.locator("#word-confirm-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{charter.pk}/edit/$"))
    # The editor shows the imported clauses in its form.
    page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')].some(t => t.value === 'สมาชิกพ้นสภาพเมื่อลาออก')"
    )
    screenshot(page, "committee-imported-draft")
    stored = CharterPage.objects.get(pk=charter.pk)
    draft = stored.get_latest_revision_as_object()
    assert draft.numbered_chapters() == IMPORTED_CHAPTERS
    assert draft.preamble == PREAMBLE
    assert not stored.live and stored.has_unpublished_changes  # saved as a draft, not published

    # The committee submits it.
    open_more_actions(page)
    with page.expect_navigation():
        page.locator('footer button[name="action-submit"]').click()
    screenshot(page, "committee-submitted")
    assert current_step(charter) == "CommitteeReviewTask"

    # The public cannot see it while it is under review.
    assert page.request.get(f"{base}/search/?q={SEARCH_WORD}").text().count('class="search-result"') == 0

    # 3. The chair approves the committee's review.
    resume(page, base, sessions["chair"])
    act(page, base, charter.pk)
    screenshot(page, "chair-approved")
    assert current_step(charter) == "AssemblyAdoptionTask"

    # 4. The secretary records the assembly's adoption, citing the minutes and the resolution.
    login(page, base, "secretary")

    def cite_adoption(modal):
        choose(modal.locator('[name="minutes"]'), road["minutes"].pk)
        choose(modal.locator('[name="agenda_item"]'), road["adoption"].pk)

    act(page, base, charter.pk, cite_adoption)
    screenshot(page, "secretary-recorded-adoption")
    assert current_step(charter) == "LocalGovernmentCommentTask"

    # 5. The local government office comments.
    login(page, base, "local")
    act(page, base, charter.pk, lambda modal: modal.locator('[name="comment"]').fill("อบต.เวียงเห็นควรสนับสนุน"))
    screenshot(page, "local-office-commented")
    assert current_step(charter) == "ProvincialReviewTask"

    # 6. The provincial officer checks the file and forwards it.
    resume(page, base, sessions["officer"])

    def tick_checklist(modal):
        for box in modal.locator("input[type=checkbox]").all():
            box.check()

    act(page, base, charter.pk, tick_checklist)
    screenshot(page, "province-forwarded")
    assert current_step(charter) == "RegistrationTask"

    # 7. The registrar registers it.
    login(page, base, "registrar")
    act(page, base, charter.pk)
    screenshot(page, "registrar-registered")
    entry = RegistryEntry.objects.get(network=tambon)
    assert current_step(charter) is None
    assert CharterPage.objects.get(pk=charter.pk).live

    # 8. The public finds it by a Thai search, opens it and verifies its number.
    page.context.clear_cookies()
    page.goto(f"{base}/")
    screenshot(page, "public-home")
    page.fill("#search-q-home", SEARCH_WORD)
    with page.expect_navigation():
        page.press("#search-q-home", "Enter")
    result = page.locator(".search-result__title a", has_text="ข้อบังคับ")
    assert result.count() == 1
    screenshot(page, "public-search")
    with page.expect_navigation():
        result.first.click()
    assert page.locator("h1").first.inner_text() == CHARTER_TITLE
    assert CLAUSE in page.locator(".charter").inner_text()
    screenshot(page, "public-charter")
    with page.expect_navigation():
        page.locator(f'.facts a:has-text("{entry.registration_number}")').click()
    assert page.url.endswith(f"/verify/{entry.registration_number}/")
    assert page.locator(".result--valid").is_visible()
    assert entry.text_sha256 in page.content()
    screenshot(page, "public-verified")

    # The language switch is one click away.
    with page.expect_navigation():
        page.click(".language-switch a")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".result--valid h2").inner_text() == "Valid"
    screenshot(page, "public-verified-english")

    # 9. Ten days after the end of its first half-year (the report is due within 30), for the server
    # and the test alike; the browser's own clock decides nothing here.
    period_end = periods_to_report(entry, today=entry.registered_on + datetime.timedelta(days=183))[-1]
    ten_days_after = datetime.datetime.combine(
        period_end + datetime.timedelta(days=10), datetime.time(10), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(ten_days_after, tick=True):
        # The chair finds the duty in the menu and files the report.
        login(page, base, CHAIR["username"], CHAIR_PASSWORD)
        # The admin menu has the way there (the sidebar's submenu; followed by its address).
        assert page.locator("a.sidebar-menu-item__link[href='/admin/registry-duties/']").count() == 1
        page.goto(f"{base}/admin/registry-duties/")
        screenshot(page, "chair-duties")
        page.get_by_role("link", name=re.compile("File a half-year report|ยื่นรายงาน")).first.click()
        page.select_option("#id_period_end", period_end.isoformat())
        page.fill("#id_activities", "จ่ายสวัสดิการเกิด แก่ เจ็บ ตาย 42 ราย ประชุมคณะกรรมการ 6 ครั้ง")
        page.fill("#id_members", "812")
        page.fill("#id_received_members", "12000")
        page.fill("#id_spent_members", "8000.50")
        page.fill("#id_received_codi", "3000")
        screenshot(page, "chair-report-form")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r".*/admin/registry-duties/report/\d+/$"))
        screenshot(page, "chair-report-filed")
        report = HalfYearReport.objects.get()
        assert report.status == FilingStatus.FILED and report.members == 812
        assert report.period_end == period_end and report.filed_by.username == CHAIR["username"]
        money = {line.source: (line.received, line.spent) for line in report.money.all()}
        assert money == {MoneySource.MEMBERS: (Decimal("12000"), Decimal("8000.50")), MoneySource.CODI: (Decimal("3000"), 0)}

        # The registrar receives it in the queue and accepts it.
        login(page, base, "registrar")
        page.goto(f"{base}/admin/registry-duties/queue/")
        screenshot(page, "registrar-queue")
        page.get_by_role("link", name=entry.organization_name).click()
        page.wait_for_url(re.compile(r".*/admin/registry-duties/report/\d+/$"))
        page.locator("form:has(input[name=action][value=accept]) button").click()
        page.wait_for_url(re.compile(r".*/admin/registry-duties/queue/$"))
        screenshot(page, "registrar-accepted-report")
        report.refresh_from_db()
        assert report.status == FilingStatus.ACCEPTED

        # The public registry shows the accepted report, without personal data.
        page.context.clear_cookies()
        page.goto(f"{base}/en/registry/")
        row = page.locator("tr", has_text=entry.registration_number)
        cell = row.locator("td").last
        assert "accepted" in cell.inner_text()
        assert str(period_end.year) in cell.inner_text()
        for personal in (CHAIR["username"], CHAIR["first_name"], CHAIR["last_name"], CHAIR["email"]):
            assert personal not in row.inner_text()
        screenshot(page, "public-registry")
