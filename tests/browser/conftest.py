"""Playwright for Python driving Debian's Chromium (never a downloaded browser) against a live
server. The browser's event loop runs in the test's thread, so Django's guard against database use
from async code is lifted for these tests only.

Every page of every browser test is watched for Content-Security-Policy violations (cms/settings/base.py,
django-csp): a test that loads a page the policy breaks fails at teardown, with the violations listed."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


# Runs before any script of every page: the page's own violations reach the test through a binding.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation([location.pathname, event.violatedDirective, event.blockedURI,
                             event.sourceFile + ":" + event.lineNumber, event.sample].join(" | "));
});
"""


def _is_policy_message(text):
    # Chromium words them "Refused to ..." or "... violates the following Content Security Policy ...".
    return "Refused to" in text or "Content Security Policy" in text


class WatchedBrowser:
    """Chromium, with every page it opens watched for CSP violations and its documents' headers kept."""

    def __init__(self, browser):
        self.browser = browser
        self.violations = []
        self.headers = {}
        self.pages = []

    def watch(self, page, scripts=True):
        if scripts:
            page.expose_function("reportCspViolation", lambda text: self.violations.append(text))
            page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda message: _is_policy_message(message.text)
                and self.violations.append(f"{page.url} | console | {message.text}"))
        page.on("response", lambda response: response.request.resource_type == "document"
                and self.headers.setdefault(response.url, response.headers))
        self.pages.append(page)
        return page

    def new_page(self, **kwargs):
        return self.watch(self.browser.new_page(**kwargs))

    def new_context(self, **kwargs):
        context = self.browser.new_context(**kwargs)
        context.expose_function("reportCspViolation", lambda text: self.violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", lambda page: self.watch(page, scripts=False))
        return context

    def close(self):
        self.browser.close()


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = WatchedBrowser(
                playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS))
            try:
                yield browser
                assert browser.violations == [], "CSP violations:\n" + "\n".join(browser.violations)
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshot(request):
    """screenshot(page, "step-name") saves artifacts/screenshots/<test>/<NN>-step-name.png."""
    folder = SCREENSHOTS / request.node.name.removeprefix("test_")
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def take(page, name):
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    take.taken = taken
    return take
