"""Steps the browser tests share."""

import re

from tests.factories import PASSWORD


def login(page, base, username, password=PASSWORD):
    """Sign in to the admin as `username`, forgetting whoever was signed in on the page before."""
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def resume(page, base, session):
    """Back in the admin as the user whose cookies `session` holds (`page.context.cookies()` taken after their
    sign-in), on the dashboard where signing in lands. The sign-in form itself is proven by `login`."""
    page.context.clear_cookies()
    page.context.add_cookies(session)
    page.goto(f"{base}/admin/")
    assert page.url == f"{base}/admin/", f"the session did not hold: {page.url}"
