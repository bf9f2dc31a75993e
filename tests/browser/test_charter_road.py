"""The whole road in a real browser: the drafting committee writes and submits a charter in the
Wagtail admin, each approver acts there in turn, the registrar registers it, and the public finds
it by a Thai search, opens it and verifies its registration number. Screenshots of every step go
to artifacts/screenshots/from_draft_to_public_certificate/."""

import datetime
import re

import pytest

from networks.models import NetworkPage
from pages.models import CharterPage
from registry.models import RegistryEntry
from tests.factories import (
    PASSWORD,
    add_adopting_minutes,
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_registrar,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHARTER_TITLE = "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง"
CLAUSE = "กองทุนจ่ายสวัสดิการแก่สมาชิกผู้สูงอายุเดือนละสองร้อยบาท"
SEARCH_WORD = "ผู้สูงอายุ"


@pytest.fixture
def road(chiang_rai):
    tambon = NetworkPage.objects.get(level="tambon", area_code="570101")  # Wiang, Mueang Chiang Rai

    def mail(name):
        return {"email": f"{name}@example.org"}

    people = {name: make_committee_member(tambon, name, name, **mail(name)) for name in ("member", "chair", "secretary")}
    people["local"] = make_local_office("local", tambon, "อบต.เวียง", **mail("local"))
    people["officer"] = make_provincial_officer("officer", "57", **mail("officer"))
    people["registrar"] = make_registrar("registrar", **mail("registrar"))
    # The assembly meeting whose resolution adopted the charter (quorum: 4 of 5 present).
    minutes = add_adopting_minutes(
        tambon, 1, present=4, date=datetime.date.today(), title="รายงานการประชุมสมัชชา ครั้งที่ 1",
        body_name="สมัชชากองทุนสวัสดิการชุมชนตำบลเวียง",
    )
    return {"tambon": tambon, "minutes": minutes, "adoption": minutes.adoption_item, **people}


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


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


def test_from_draft_to_public_certificate(live_server, browser, screenshot, road):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")

    # 1. The drafting committee writes the charter in the admin and submits it.
    login(page, base, "member")
    screenshot(page, "committee-dashboard")
    page.goto(f"{base}/admin/pages/add/pages/charterpage/{road['tambon'].pk}/")
    page.fill("#id_title", CHARTER_TITLE)
    page.fill("#id_version_label", "พ.ศ. ๒๕๖๙")
    page.fill("#id_preamble", "อาศัยมติที่ประชุมสมัชชากองทุนสวัสดิการชุมชนตำบลเวียง")
    page.locator("#panel-child-content-chapters-section button.c-sf-add-button, [data-contentpath=chapters] button.c-sf-add-button").first.click()
    page.fill('[name="chapters-0-value-title"]', "บททั่วไป")
    page.fill('[name="chapters-0-value-clauses-0-value"]', CLAUSE)
    screenshot(page, "committee-writes-charter")
    with page.expect_navigation():
        page.locator("footer button.action-save").first.click()
    charter = CharterPage.objects.get(title=CHARTER_TITLE)
    assert not charter.live
    page.goto(f"{base}/admin/pages/{charter.pk}/edit/")
    open_more_actions(page)
    with page.expect_navigation():
        page.locator('footer button[name="action-submit"]').click()
    screenshot(page, "committee-submitted")
    assert current_step(charter) == "CommitteeReviewTask"

    # The public cannot see it while it is under review.
    assert page.request.get(f"{base}/search/?q={SEARCH_WORD}").text().count('class="search-result"') == 0

    # 2. The chair approves the committee's review.
    login(page, base, "chair")
    act(page, base, charter.pk)
    screenshot(page, "chair-approved")
    assert current_step(charter) == "AssemblyAdoptionTask"

    # 3. The secretary records the assembly's adoption, citing the minutes and the resolution.
    login(page, base, "secretary")

    def cite_adoption(modal):
        choose(modal.locator('[name="minutes"]'), road["minutes"].pk)
        choose(modal.locator('[name="agenda_item"]'), road["adoption"].pk)

    act(page, base, charter.pk, cite_adoption)
    screenshot(page, "secretary-recorded-adoption")
    assert current_step(charter) == "LocalGovernmentCommentTask"

    # 4. The local government office comments.
    login(page, base, "local")
    act(page, base, charter.pk, lambda modal: modal.locator('[name="comment"]').fill("อบต.เวียงเห็นควรสนับสนุน"))
    screenshot(page, "local-office-commented")
    assert current_step(charter) == "ProvincialReviewTask"

    # 5. The provincial officer checks the file and forwards it.
    login(page, base, "officer")

    def tick_checklist(modal):
        for box in modal.locator("input[type=checkbox]").all():
            box.check()

    act(page, base, charter.pk, tick_checklist)
    screenshot(page, "province-forwarded")
    assert current_step(charter) == "RegistrationTask"

    # 6. The registrar registers it.
    login(page, base, "registrar")
    act(page, base, charter.pk)
    screenshot(page, "registrar-registered")
    entry = RegistryEntry.objects.get(network=road["tambon"])
    assert current_step(charter) is None
    assert CharterPage.objects.get(pk=charter.pk).live

    # 7. The public finds it by a Thai search, opens it and verifies its number.
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
