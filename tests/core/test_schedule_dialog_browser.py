"""Wagtail's "Set publishing schedule" dialog in Chromium, on a Thai screen: its go-live input, a plain text
input without Wagtail's Christian-era picker, is reached by its label and filled from the keyboard in the
Buddhist Era; "Save schedule" stores the Christian-era moment, and the status panel says it in B.E."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from networks.models import HomePage
from tests.browser.conftest import browser, screenshot  # noqa: F401 (the fixtures)
from tests.browser.steps import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_go_live_is_typed_in_the_buddhist_era_in_the_dialog(
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    screenshot,  # noqa: F811
    django_user_model,
):
    home = HomePage.objects.get()
    user = django_user_model.objects.create_superuser("scheduler", "scheduler@example.org", PASSWORD)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "th"
    profile.save(update_fields=["preferred_language"])
    base = live_server.url
    page = browser.new_page()
    login(page, base, "scheduler")

    page.goto(f"{base}/admin/pages/{home.pk}/edit/")
    page.click('[data-side-panel-toggle="status"]')
    page.click('[data-a11y-dialog-show="schedule-publishing-dialog"]')
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.get_by_label("วันและเวลาเริ่มเผยแพร่").focus()
    page.keyboard.type("14/05/2570 09:30")
    screenshot(page, "typed")
    # No picker opened over the dialog.
    assert page.locator(".xdsoft_datetimepicker:visible").count() == 0
    # The editor's own URL is both where the dialog is and where saving lands: wait for the new load, not
    # for a URL that already matches (which let the checks below read the page before it was replaced).
    with page.expect_navigation(url=re.compile(r".*/admin/pages/\d+/edit/$")):
        dialog.locator("button.action-save").click()
    screenshot(page, "saved")

    home.refresh_from_db()
    assert home.get_latest_revision_as_object().go_live_at == datetime.datetime(
        2027, 5, 14, 2, 30, tzinfo=datetime.UTC
    )
    assert page.locator("#id_go_live_at").input_value() == "14/05/2570 09:30"
    page.click('[data-side-panel-toggle="status"]')
    expect(page.locator('[data-side-panel="status"]')).to_contain_text("14 พ.ค. 2570 09:30 น.")
