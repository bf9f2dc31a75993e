"""In Chromium: select all of the charter's printable view, copy it (the selection's text, as the
clipboard gets it), paste it into /verify/ and the registered version is recognised; change one word
and it is not."""

import datetime

import pytest

from registry import services
from tests.factories import add_charter, add_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def entry(home, registrar):
    network = add_province(home, publish=True)
    charter = add_charter(network, chapters=[
        ("บททั่วไป", ["ข้อบังคับนี้เรียกว่า ข้อบังคับเครือข่ายสวัสดิการชุมชน พ.ศ. 2569 " * 4, "ให้ใช้ข้อบังคับนี้ด้วยน้ำใจ"]),
        ("สมาชิก", ["สมาชิกต้องมีภูมิลำเนาในตำบลไม่น้อยกว่า 1 ปี", "สมาชิกภาพสิ้นสุดลงเมื่อตายหรือลาออก"]),
    ], preamble="อาศัยมติที่ประชุมใหญ่", publish=True)
    return services.register(charter, registrar, on_date=datetime.date(2026, 5, 14))


def copied_print_view(page, url):
    page.goto(url)
    page.keyboard.press("Control+A")
    return page.evaluate("window.getSelection().toString()")


def paste_and_check(page, live_server, entry, text):
    page.goto(f"{live_server.url}/en/verify/{entry.registration_number}/")
    page.fill("textarea[name=text]", text)
    page.click("form.text-check button[type=submit]")
    page.wait_for_load_state()
    return page.locator(".text-check__match").count() == 1


def test_text_copied_from_the_print_view_verifies(live_server, browser, screenshot, entry):
    page = browser.new_page(locale="th-TH")
    for digits in ("thai", "arabic"):
        copied = copied_print_view(page, f"{live_server.url}{entry.charter.url}?print=1&digits={digits}")
        assert entry.registration_number in copied and "ข้อ" in copied
        assert copied.strip() != entry.registered_text
        assert paste_and_check(page, live_server, entry, copied), copied
    screenshot(page, "print-copy-matches")
    assert "only in what the check forgives" in page.content()

    assert "ลาออก" in copied
    assert not paste_and_check(page, live_server, entry, copied.replace("ลาออก", "ถูกให้ออก"))
    assert page.locator(".text-check__mismatch").count() == 1
