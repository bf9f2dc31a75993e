"""One page per create, in Chromium: the new action plan's form is saved by its autosave and by "Save
draft" at the same moment (the probe found two identical plans), and one plan is made."""

import re

import pytest

from networks.models import NetworkPage
from pages.models import ActionPlanPage
from tests.factories import make_committee_member

from .steps import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_autosave_and_save_draft_together_make_one_plan(chiang_rai, live_server, browser, screenshot):
    fund = NetworkPage.objects.get(level="tambon", area_code="570101")
    make_committee_member(fund, "member")
    base = live_server.url
    page = browser.new_page()
    login(page, base, "member")

    page.goto(f"{base}/admin/pages/add/pages/actionplanpage/{fund.pk}/")
    page.fill("#id_title", "แผนปฏิบัติการปี 2570")
    page.fill("#id_fiscal_year", "2570")
    screenshot(page, "filled")
    # The autosave's request (the form as JSON, as Wagtail's autosave sends it) in flight while the
    # user presses "Save draft".
    page.evaluate(
        """() => {
            const form = document.getElementById('page-edit-form');
            window.autosaveStatus = fetch(form.action, {
                method: 'POST', body: new FormData(form), headers: {Accept: 'application/json'},
            }).then(response => response.status);
        }"""
    )
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    autosave_status = page.evaluate("() => window.autosaveStatus")
    screenshot(page, "saved-once")

    plans = ActionPlanPage.objects.filter(network=fund)
    assert plans.count() == 1, (plans.count(), autosave_status)
    assert page.url.endswith(f"/admin/pages/{plans.get().pk}/edit/")
