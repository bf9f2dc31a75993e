"""The XSS corpus in Chromium: every public page that shows what a committee wrote is loaded and run;
any dialog (alert, confirm, prompt) or a value the payloads would set (`window.__xss`) fails the test.
The corpus and the server-side checks are in tests/hardening/."""

import pytest

from tests.hardening.xss import PAYLOADS, build_xss_world, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def xss_site(home):
    return public_urls(build_xss_world(home))


def run_and_watch(page, dialogs):
    """Run the loaded page as a reader would (open every <details>, move over every piece of the
    committee's text so that on* mouse handlers, had any survived as markup, would fire) and return what
    the payloads would have set, or None."""
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    for element in page.get_by_text("คำค้นพิเศษ").all()[:60]:
        try:
            element.hover(timeout=200)
        except Exception:  # hidden or zero-sized text cannot be hovered; nothing to run there
            pass
    page.wait_for_timeout(50)
    return page.evaluate(
        "window.__xss ?? [...Array(window.frames.length).keys()].map(i => window.frames[i].__xss).find(v => v)"
        " ?? null"
    )


def watched_page(browser):
    dialogs = []
    page = browser.new_page(locale="th-TH")
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, dialogs


def test_the_watch_catches_a_payload_that_runs(browser):
    """The detector itself: the same payloads, put in a page unescaped, are caught."""
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2]):
        page, dialogs = watched_page(browser)
        page.set_content(f"<html><body><main>คำค้นพิเศษ {payload}</main></body></html>")
        marker = run_and_watch(page, dialogs)
        assert marker is not None or dialogs, payload
        page.close()


def test_no_payload_runs_in_chromium(live_server, browser, xss_site):
    page, dialogs = watched_page(browser)
    ran = []
    for name, path in xss_site.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (name, response and response.status)
        marker = run_and_watch(page, dialogs)
        if marker is not None:
            ran.append((name, marker))
        # The payloads are on the page, as text.
        assert "คำค้นพิเศษ" in page.inner_text("body"), name
    print(f"\nXSS: {len(PAYLOADS)} payloads x {len(xss_site)} public pages in Chromium: "
          f"{len(dialogs)} dialogs, {len(ran)} scripts run")
    assert dialogs == [], dialogs
    assert ran == [], ran
