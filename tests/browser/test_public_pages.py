"""The public pages in a real browser: keyboard use (skip link, visible focus), a phone-sized
screen without sideways scrolling, and the bundled Sarabun font."""

import datetime

import pytest
from django.utils.translation import override

from tests.factories import add_charter
from tests.public.conftest import make_minutes, make_plan, register, tambons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def public_site(chiang_rai, registrar):
    a = tambons(1)[0]
    charter = add_charter(a, clauses=["เครือข่ายนี้ชื่อว่ากองทุนสวัสดิการชุมชนตำบลเวียง " * 3, "สมาชิกต้องมีภูมิลำเนาในตำบล"],
                          publish=True)
    entry = register(charter, registrar, datetime.date(2025, 5, 1))
    minutes = make_minutes(a)
    plan = make_plan(a)
    with override("th"):
        return {
            "home": "/",
            "province": chiang_rai.url,
            "tambon": a.url,
            "charter": charter.url,
            "minutes": minutes.url,
            "plan": plan.url,
            "registry": "/registry/",
            "verify": f"/verify/{entry.registration_number}/",
            "search": "/search/?q=%E0%B8%AA%E0%B8%A1%E0%B8%B2%E0%B8%8A%E0%B8%B4%E0%B8%81",
        }


def test_phone_screen_keyboard_and_font(live_server, browser, screenshot, public_site):
    page = browser.new_page(viewport=PHONE, locale="th-TH")
    for name, path in public_site.items():
        for prefix in ("", "/en"):
            page.goto(f"{live_server.url}{prefix}{path}")
            # Nothing wider than the screen: no sideways scrolling on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{prefix}{path} is {overflow}px wider than a phone screen"
            if not prefix:
                screenshot(page, f"phone-{name}")

    # Keyboard: the first Tab reaches the skip link, which is then visible and moves focus to the content.
    page.goto(f"{live_server.url}{public_site['charter']}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # Sarabun comes from the project's own static files.
    page.goto(f"{live_server.url}/")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "Array.from(document.fonts).filter(f => f.family.replace(/\"/g, '') === 'Sarabun' && f.status === 'loaded').length"
    )
    assert loaded >= 1


def test_public_finds_a_charter_by_thai_search_and_verifies_it(live_server, browser, screenshot, chiang_rai, registrar):
    a = tambons(1)[0]
    charter = add_charter(a, clauses=["เครือข่ายนี้ชื่อว่ากองทุนสวัสดิการชุมชนตำบลเวียง",
                                      "กองทุนจ่ายสวัสดิการแก่สมาชิกผู้สูงอายุเดือนละสองร้อยบาท"], publish=True)
    entry = register(charter, registrar, datetime.date(2025, 5, 1))
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page.goto(f"{live_server.url}/")
    page.fill("#search-q-home", "ผู้สูงอายุ")
    with page.expect_navigation():
        page.press("#search-q-home", "Enter")
    result = page.locator(".search-result__title a")
    assert result.count() == 1
    assert page.locator(".search-result mark").count() >= 1
    screenshot(page, "search")
    with page.expect_navigation():
        result.first.click()
    assert page.locator("h1").first.inner_text() == charter.title
    # A clause can be linked to: its number is an anchor.
    page.click("#clause-2 .clause__number")
    assert page.evaluate("location.hash") == "#clause-2"
    screenshot(page, "charter")
    with page.expect_navigation():
        page.locator(f'.facts a:has-text("{entry.registration_number}")').click()
    assert page.locator(".result--valid").is_visible()
    screenshot(page, "verified")
    with page.expect_navigation():
        page.click(".language-switch a")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(f"/en/verify/{entry.registration_number}/")
    screenshot(page, "verified-english")
