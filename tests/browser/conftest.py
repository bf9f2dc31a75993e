"""Playwright for Python driving Debian's Chromium (never a downloaded browser) against a live
server. The browser's event loop runs in the test's thread, so Django's guard against database use
from async code is lifted for these tests only.

Every page of every browser test is watched for Content-Security-Policy violations (cms/settings/base.py,
django-csp): a test that loads a page the policy breaks fails at teardown, with the violations listed."""

import asyncio
import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test.testcases import QuietWSGIRequestHandler
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Playwright's own --disable-features (its chromiumSwitches.ts), repeated below: Chromium reads only the last
# --disable-features it is given, so ours must name them as well (`_SharedChromium.lend` relaunches with any a
# newer Playwright adds).
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying",
    "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
]
# The address bar's WebUI popups: headless Chromium still builds them, in a renderer of their own for every
# context (window) it opens, which cost 0.7 s of CPU a context and are never shown. The pages are untouched.
HIDDEN_UI_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
# Pages ask for reduced motion, as a user may in their system settings: else the pulse Wagtail's CSS draws
# round the Help menu's badge (`ping-warning`, a box-shadow repainted every frame for 25 s after each admin
# page loads) kept a renderer busy while an admin page stayed open, some 15 % of a core: Chromium's CPU over
# the browser tests went from 50-53 s to 40-44 s. No test looks at an animation.
MOTION = {"reduced_motion": "reduce"}


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
    """Chromium, with every page it opens watched for CSP violations; with `keep_headers` set before a page is
    opened, that page's documents' headers are kept as well (every response is then an event for Playwright's
    driver and this process: 2,500 in the browser tests, for the one test that reads them)."""

    def __init__(self, browser):
        self.browser = browser
        self.violations = []
        self.keep_headers = False
        self.headers = {}
        self.pages = []

    def watch(self, page, scripts=True):
        if scripts:
            page.expose_function("reportCspViolation", lambda text: self.violations.append(text))
            page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda message: _is_policy_message(message.text)
                and self.violations.append(f"{page.url} | console | {message.text}"))
        if self.keep_headers:
            page.on("response", lambda response: response.request.resource_type == "document"
                    and self.headers.setdefault(response.url, response.headers))
        self.pages.append(page)
        return page

    def new_page(self, **kwargs):
        return self.watch(self.browser.new_page(**{**MOTION, **kwargs}))

    def new_context(self, **kwargs):
        context = self.browser.new_context(**{**MOTION, **kwargs})
        context.expose_function("reportCspViolation", lambda text: self.violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", lambda page: self.watch(page, scripts=False))
        return context


def _features_given_to_disable():
    """Every feature named by any --disable-features switch of the Chromium this process launched (read from
    /proc: none where there is no /proc)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(stat.parent)
    features, descendants = set(), list(children.get(os.getpid(), []))
    while descendants:
        process = descendants.pop()
        descendants += children.get(int(process.name), [])
        with contextlib.suppress(OSError):
            switches = (process / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if "--remote-debugging-pipe" in switches:  # the browser's own process
                for switch in switches:
                    if switch.startswith("--disable-features="):
                        features.update(filter(None, switch.removeprefix("--disable-features=").split(",")))
    return features


class _SharedChromium:
    """One Chromium per test process, launched by the first browser test and closed when the run ends; each
    test gets contexts of its own (cookies, storage, cache), closed at its end. Launching the driver and
    Chromium took 2 s a test.

    Playwright's sync API runs its asyncio loop in a greenlet of the test's thread and marks that loop as
    the thread's running one between its calls. Left marked between tests, it would make the tests that
    follow on this process fail: Django refuses database use from "async" code, and asyncio.run and
    async_to_sync refuse to start. So it is marked only while a browser test runs."""

    manager = loop = chromium = None
    closed_at_the_end = False

    @classmethod
    def lend(cls, config):
        if cls.chromium is not None and cls.chromium.is_connected():
            asyncio._set_running_loop(cls.loop)
            return cls.chromium
        if cls.manager is not None:  # Chromium died: start afresh
            cls.close()
        cls.manager = sync_playwright()
        playwright = cls.manager.start()
        cls.loop = asyncio.get_running_loop()  # the loop the sync API has just marked as running
        if not cls.closed_at_the_end:
            config.add_cleanup(cls.close)
            cls.closed_at_the_end = True
        cls.chromium = cls._launch(playwright, PLAYWRIGHT_DISABLED_FEATURES + HIDDEN_UI_FEATURES)
        return cls.chromium

    @classmethod
    def _launch(cls, playwright, disabled_features):
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            *CHROMIUM_ARGS, "--disable-features=" + ",".join(disabled_features)])
        dropped = _features_given_to_disable() - set(disabled_features)
        if dropped:  # Playwright disables more than it did: again, with those too
            chromium.close()
            return cls._launch(playwright, [*disabled_features, *sorted(dropped)])
        return chromium

    @classmethod
    def give_back(cls):
        try:
            for context in cls.chromium.contexts if cls.chromium else ():
                context.close()
        finally:
            asyncio._set_running_loop(None)

    @classmethod
    def close(cls):
        if cls.manager is None:
            return
        asyncio._set_running_loop(cls.loop)
        try:
            if cls.chromium.is_connected():
                cls.chromium.close()
        finally:
            cls.manager.__exit__()  # unmarks the loop, and closes it
            cls.manager = cls.loop = None


@pytest.fixture
def browser(request, monkeypatch):
    # Chromium keeps its connections to the live server alive; with Nagle's algorithm on, an answer on a
    # kept-alive connection can wait for the client's delayed ACK (40 ms measured with a plain HTTP client).
    monkeypatch.setattr(QuietWSGIRequestHandler, "disable_nagle_algorithm", True)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        browser = WatchedBrowser(_SharedChromium.lend(request.config))
        yield browser
        assert browser.violations == [], "CSP violations:\n" + "\n".join(browser.violations)
    finally:
        try:
            _SharedChromium.give_back()
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
