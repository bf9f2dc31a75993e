"""The Content-Security-Policy (django-csp, cms/settings/base.py) in a real browser. Every browser test is
watched for violations (tests/browser/conftest.py), so the road of test_charter_road (sign-in, the editor,
each approver's action modal, the registrar, the public search, the charter, verification) is covered
there; this test opens the pages no other browser test opens: the dashboard and queue, the page listing's
Buddhist-Era date filters, the editors' inline panels, the print view's button, the other public pages, and checks
that every document answered with the policy, the permissions policy and the referrer policy."""

import pytest

from tests.browser.test_charter_road import login, road  # noqa: F401
from tests.factories import add_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def track_requests(page):
    """The requests of `page` not yet answered (or failed), kept up to date as events arrive."""
    pending = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    return pending


def settle(page, pending):
    """Wait until the page has loaded, its fonts are in, its queued tasks (a violation's event among them)
    have run and none of its requests is pending: what could still be refused after `load` (the favicon,
    fonts, scripts' fetches). Waiting for "networkidle" did it with half a second of silence a page."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => new Promise(done => setTimeout(done)))")
    for _ in range(500):
        if not pending:
            return
        page.wait_for_timeout(10)  # lets Playwright deliver the requests' events
    raise AssertionError(f"requests still pending on {page.url}: {[request.url for request in pending]}")


def test_no_csp_violation_off_the_road(live_server, browser, screenshot, road):  # noqa: F811
    base = live_server.url
    browser.keep_headers = True
    page = browser.new_page()
    pending = track_requests(page)
    charter = add_charter(road["tambon"], publish=True)

    # The admin pages the road does not open: the dashboard with its panels, the queue and the account page
    # as the officer; the page explorer, the editor of a live page, its history and the search as a member
    # of the charter's committee (the officer may not open those: they would send him to the dashboard).
    for user, paths in (
        ("officer", ("/admin/", "/admin/awaiting-my-action/", "/admin/account/")),
        ("member", ("/admin/pages/", f"/admin/pages/{charter.pk}/edit/", f"/admin/pages/{charter.pk}/history/",
                    "/admin/pages/search/?q=ข้อบังคับ")),
    ):
        login(page, base, user)
        for path in paths:
            page.goto(base + path)
            settle(page, pending)
            # Checked where it was asked for, not on a page it was sent on to.
            assert page.url.startswith(base + path.split("?")[0]), (user, path, page.url)
        screenshot(page, f"admin-under-csp-{user}")

    # The page listing's date filters (still the member): Buddhist-Era text inputs (core/widgets.py), no
    # picker script.
    tambon = road["tambon"].pk
    page.goto(f"{base}/admin/pages/{tambon}/")
    settle(page, pending)
    assert page.url.endswith(f"/admin/pages/{tambon}/")
    assert page.locator(".xdsoft_datetimepicker").count() == 0
    assert page.locator('input[inputmode="numeric"][name^="latest_revision_created_at"]').count() == 2

    # The editors with inline panels (activities, attendees, agenda): their script carries the nonce.
    page.goto(f"{base}/admin/pages/add/pages/actionplanpage/{tambon}/")
    total = page.locator("#id_activities-TOTAL_FORMS")
    before = int(total.input_value())
    page.click("#id_activities-ADD")
    assert int(total.input_value()) == before + 1
    page.goto(f"{base}/admin/pages/add/pages/meetingminutespage/{tambon}/")
    page.click("#id_agenda_items-ADD")
    settle(page, pending)
    screenshot(page, "minutes-editor-under-csp")

    # The public pages the road does not open.
    page.context.clear_cookies()
    for path in ("/networks/", "/registry/", "/verify/", "/api/v1/", f"{charter.url}?print=1", "/en/",
                 "/admin/login/", "/admin/password_reset/"):
        page.goto(base + path)
        settle(page, pending)
    # The print view's button works without an inline handler.
    page.goto(f"{base}{charter.url}?print=1")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-print-page]")
    assert page.evaluate("window.printed") is True

    assert browser.violations == [], "\n".join(browser.violations)
    # Every page answered with the policy, the permissions policy and the referrer policy.
    assert len(browser.headers) >= 15
    for url, headers in browser.headers.items():
        policy = headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, url
        assert "camera=()" in headers.get("permissions-policy", ""), url
        assert headers.get("referrer-policy") == "same-origin", url
