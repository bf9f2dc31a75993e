"""Officer onboarding in Chromium: the provincial officer invites a new committee member for a fund of
the province, the e-mail's link (read from the outbox) sets a password, and the new member signs in and
finds the network on the dashboard. The Thai admin shows its letters in the project's Sarabun."""

import re

import pytest

from outbox.models import OutboxMessage
from tests.factories import PASSWORD, make_provincial_officer, small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "รหัสผ่านใหม่-สมาชิก-2569"


def sign_in(page, base, username, password):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def test_officer_invites_and_the_new_member_sets_a_password_and_signs_in(home, live_server, browser, screenshot):
    tree = small_tree(home)
    make_provincial_officer("officer_57", "57", first_name="วรวุฒิ", last_name="ทองคำ")
    base = live_server.url

    officer = browser.new_context().new_page()
    sign_in(officer, base, "officer_57", PASSWORD)
    # The admin's Thai letters come from the project's Sarabun, not a system font.
    loaded = officer.evaluate("""async () => {
        const faces = await document.fonts.load('16px "Sarabun Thai"', 'ก');
        return faces.map(face => face.family);
    }""")
    assert loaded and all(family.strip('"') == "Sarabun Thai" for family in loaded)
    assert "Sarabun Thai" in officer.evaluate("getComputedStyle(document.body).fontFamily")
    officer.get_by_role("link", name=re.compile("เชิญบุคคล|Invite a person")).first.click()
    officer.wait_for_url(re.compile(r".*/admin/people/invite/$"))
    offered = officer.locator("#id_network option").all_inner_texts()
    assert tree["wiang"].title in offered and tree["mueang_sp"].title not in offered
    officer.fill("#id_first_name", "สมหญิง")
    officer.fill("#id_last_name", "ใจงาม")
    officer.fill("#id_email", "somying@example.org")
    officer.select_option("#id_network", str(tree["wiang"].pk))
    officer.select_option("#id_role", "member")
    screenshot(officer, "invite")
    officer.click("main form button[type=submit]")
    officer.wait_for_url(re.compile(r".*/admin/people/invite/$"))
    assert "somying" in officer.content()

    message = OutboxMessage.objects.get(dedupe_key__startswith="people:invitation:")
    link = re.search(r"https?://\S+?(/admin/password_reset/confirm/\S+/)", message.payload["body"]).group(1)

    member = browser.new_context().new_page()
    member.goto(f"{base}{link}")
    member.fill("#id_new_password1", NEW_PASSWORD)
    member.fill("#id_new_password2", NEW_PASSWORD)
    screenshot(member, "set-password")
    member.click("main form button[type=submit], form button[type=submit]")
    member.wait_for_url(re.compile(r".*/admin/password_reset/complete/$"))

    sign_in(member, base, "somying", NEW_PASSWORD)
    screenshot(member, "dashboard")
    assert tree["wiang"].title in member.content()
