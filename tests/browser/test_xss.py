"""The XSS corpus in Chromium: every public page that shows what a committee wrote is loaded and run;
any dialog (alert, confirm, prompt) or a value the payloads would set (`window.__xss`) fails the test.
The corpus and the server-side checks are in tests/hardening/."""

import pytest

from tests.hardening.xss import PAYLOADS, build_xss_world, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def xss_site(home):
    return public_urls(build_xss_world(home))


# Every pointer and mouse event a reader's pointer sends on its way over an element, sent to every element of
# the page and of its same-origin frames: an on* handler that survived as markup runs for these as for a
# real pointer's. (Hovering each piece of text with the real pointer took 15 s, mostly waiting on hidden text,
# and reached only the element under the middle of the first 60 pieces.)
MOVE_OVER_EVERYTHING = """() => {
  const types = ["pointerover", "pointerenter", "mouseover", "mouseenter", "pointermove", "mousemove",
                 "pointerout", "pointerleave", "mouseout", "mouseleave"];
  const documents = [document];
  for (let i = 0; i < window.frames.length; i++) {
    try { documents.push(window.frames[i].document); } catch (error) { /* another origin's frame */ }
  }
  let moved = 0;
  for (const doc of documents) {
    for (const element of doc.querySelectorAll("*")) {
      for (const type of types) {
        const Event = type.startsWith("pointer") ? PointerEvent : MouseEvent;
        const bubbles = !type.endsWith("enter") && !type.endsWith("leave");
        element.dispatchEvent(new Event(type, {bubbles, cancelable: bubbles, view: window}));
      }
      moved++;
    }
  }
  return moved;
}"""


def run_and_watch(page, dialogs):
    """Run the loaded page as a reader would (open every <details>, move over every element, the
    committee's text among them, so that on* pointer and mouse handlers, had any survived as markup, would
    fire) and return what the payloads would have set, or None."""
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(MOVE_OVER_EVERYTHING) > 0
    # Let what the events queued (a frame, then its tasks) run before the page is asked.
    page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
    return page.evaluate(
        "window.__xss ?? [...Array(window.frames.length).keys()].map(i => window.frames[i].__xss).find(v => v)"
        " ?? null"
    )


def recorded_dialogs(page):
    """The messages of the dialogs `page` opens, each dismissed."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def watched_page(browser):
    page = browser.new_page(locale="th-TH")
    return page, recorded_dialogs(page)


def test_the_watch_catches_a_payload_that_runs(browser):
    """The detector itself: the same payloads, put in a page unescaped, are caught; the one whose handler
    only a pointer runs (PAYLOADS[5], onmouseover) by the pointer's events."""
    # A new page for each payload, in one context: each context costs Chromium a window of its own.
    context = browser.new_context(locale="th-TH")
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[5]):
        page = context.new_page()
        dialogs = recorded_dialogs(page)
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
