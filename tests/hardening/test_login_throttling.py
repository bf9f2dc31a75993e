"""Repeated failed logins lock the username and, on its own, the address they came from (django-axes,
the settings of cms/settings/base.py); superusers see and lift lockouts in the admin; password-reset
requests are throttled per address and per e-mail address without telling whether an account exists.
Driven through the real login and reset views of Wagtail's admin and Django's admin."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.users.models import UserProfile

from tests.factories import PASSWORD, make_user

LOGIN = "/admin/login/"
DJANGO_LOGIN = "/django-admin/login/"
RESET = "/admin/password_reset/"
LOCKOUTS = "/admin/login-lockouts/"
LIMIT = settings.AXES_FAILURE_LIMIT
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)


def client_from(address, **headers):
    """A browser at `address` (documentation ranges, RFC 5737), reading English pages."""
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **headers)


def sign_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture
def somchai(db):
    return make_user("somchai", admin_access=True, email="somchai@example.org")


def test_default_policy_locks_well_before_thirty_tries():
    assert 3 <= LIMIT <= 10
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_thirty_wrong_passwords_lock_the_user_wherever_they_come_from(somchai):
    # Each try from another address: only the per-user rule can stop them.
    answers = [sign_in(client_from(f"198.51.100.{n}"), "somchai", "wrong-password").status_code
               for n in range(1, 31)]
    assert answers[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert answers[LIMIT - 1:] == [429] * (30 - LIMIT + 1)

    browser = client_from("203.0.113.50")
    response = sign_in(browser, "somchai", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(browser)
    assert "people/lockout.html" in [template.name for template in response.templates]
    assert response.context["cooloff_minutes"] == 30
    # Django's own admin login is locked as well.
    assert sign_in(browser, "somchai", PASSWORD, DJANGO_LOGIN).status_code == 429
    assert not signed_in(browser)


def test_lockout_message_is_thai(somchai):
    """Needs the Thai catalog with this helper's strings merged (lead: after `make messages`)."""
    browser = Client(REMOTE_ADDR="198.51.100.7", HTTP_ACCEPT_LANGUAGE="th")
    for _ in range(LIMIT):
        sign_in(browser, "somchai", "wrong-password")
    response = sign_in(browser, "somchai", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="th"' in text
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in text


def test_one_address_trying_many_usernames_is_locked(somchai):
    make_user("malee", admin_access=True)
    guesser = client_from("198.51.100.20")
    for n in range(LIMIT):
        assert sign_in(guesser, f"user{n}", "guess").status_code in (200, 429)
    # The address is locked for everyone: a valid account's right password too.
    assert sign_in(guesser, "malee", PASSWORD).status_code == 429
    assert not signed_in(guesser)
    # Another address is not, and the usernames themselves were tried once each.
    elsewhere = client_from("203.0.113.9")
    assert sign_in(elsewhere, "malee", PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_a_forged_forwarded_header_does_not_change_the_address(somchai):
    # No proxy configured: X-Forwarded-For is the client's own word and is ignored.
    for n in range(LIMIT):
        sign_in(client_from("198.51.100.30", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), f"user{n}", "guess")
    assert sign_in(client_from("198.51.100.30", HTTP_X_FORWARDED_FOR="192.0.2.200"), "somchai", PASSWORD).status_code == 429


# What REVERSE_PROXY_COUNT=1 sets (cms/settings/base.py): one nginx in front, appending to X-Forwarded-For.
@override_settings(AXES_IPWARE_PROXY_COUNT=0, AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_behind_a_proxy_the_address_the_proxy_saw_is_locked(somchai):
    proxy = "127.0.0.1"
    for n in range(LIMIT):
        sign_in(client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.40"), f"user{n}", "guess")
    assert AccessAttempt.objects.filter(ip_address="198.51.100.40").count() == LIMIT
    locked = client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.40")
    assert sign_in(locked, "somchai", PASSWORD).status_code == 429
    # Another client behind the same proxy signs in.
    other = client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.41")
    assert sign_in(other, "somchai", PASSWORD).status_code == 302
    # A client that forges entries before its own gains nothing: its tries count against the proxy's
    # address, never against the address it names.
    for n in range(LIMIT):
        sign_in(client_from(proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}, 198.51.100.42"), f"user{n}", "guess")
    named = [f"198.51.100.{n + 1}" for n in range(LIMIT)] + ["198.51.100.42"]
    assert not AccessAttempt.objects.filter(ip_address__in=named).exists()
    assert AccessAttempt.objects.filter(ip_address=proxy).count() == LIMIT
    assert sign_in(client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.43"), "somchai", PASSWORD).status_code == 302


def lock(username, address="198.51.100.60"):
    for _ in range(LIMIT):
        sign_in(client_from(address), username, "wrong-password")


def test_a_superuser_sees_the_lockouts_and_unlocks_them(somchai, django_assert_max_num_queries):
    lock("somchai")
    guesser = client_from("198.51.100.61")
    for n in range(LIMIT):
        sign_in(guesser, f"user{n}", "guess")
    admin = make_user("root", is_superuser=True, is_staff=True)
    UserProfile.objects.update_or_create(user=admin, defaults={"preferred_language": "en"})
    browser = client_from("203.0.113.1")
    browser.force_login(admin)
    with django_assert_max_num_queries(20):
        page = browser.get(LOCKOUTS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Login lockouts" in text and "somchai" in text and "198.51.100.61" in text
    assert text.count(">Locked<") == 3  # the username, and both addresses
    # Each row's Unlock button sends its own row (one form around the table): what the POSTs below send.
    assert 'name="username" value="somchai"' in text and 'name="ip_address" value="198.51.100.61"' in text

    response = browser.post(LOCKOUTS, {"username": "somchai"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="somchai").exists()
    assert sign_in(client_from("203.0.113.2"), "somchai", PASSWORD).status_code == 302
    # The guessing address stays locked until it is unlocked too.
    assert sign_in(client_from("198.51.100.61"), "somchai", PASSWORD).status_code == 429
    browser.post(LOCKOUTS, {"ip_address": "198.51.100.61"})
    assert sign_in(client_from("198.51.100.61"), "somchai", PASSWORD).status_code == 302


def test_the_menu_item_and_the_page_are_for_superusers_only(somchai):
    lock("somchai")
    browser = client_from("203.0.113.3")
    browser.force_login(make_user("editor", admin_access=True))
    assert browser.get(LOCKOUTS).status_code == 403
    assert browser.post(LOCKOUTS, {"username": "somchai"}).status_code == 403
    assert AccessAttempt.objects.filter(username="somchai").exists()
    assert LOCKOUTS not in browser.get("/admin/").content.decode()

    browser.force_login(make_user("root", is_superuser=True))
    assert LOCKOUTS in browser.get("/admin/").content.decode()


def test_axes_reset_username_command_unlocks(somchai):
    lock("somchai")
    assert sign_in(client_from("203.0.113.4"), "somchai", PASSWORD).status_code == 429
    call_command("axes_reset_username", "somchai")
    assert sign_in(client_from("203.0.113.4"), "somchai", PASSWORD).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_reset_requests_are_throttled_per_email(somchai):
    per_email = int(settings.PASSWORD_RESET_RATE_PER_EMAIL.split("/")[0])
    for n in range(per_email):
        response = client_from(f"198.51.100.{n + 70}").post(RESET, {"email": "Somchai@example.org"})
        assert response.status_code == 302, n
    assert len(mail.outbox) == per_email
    refused = client_from("198.51.100.99").post(RESET, {"email": "somchai@example.org "})
    assert refused.status_code == 429
    assert "people/password_reset_throttled.html" in [template.name for template in refused.templates]
    assert len(mail.outbox) == per_email  # nothing more was sent
    # An e-mail address nobody has gets exactly the same answers: the throttle tells nothing.
    unknown = [client_from(f"198.51.100.{n + 100}").post(RESET, {"email": "nobody@example.org"}).status_code
               for n in range(per_email + 1)]
    assert unknown == [302] * per_email + [429]


@time_machine.travel(NOW, tick=False)
def test_reset_requests_are_throttled_per_address(somchai):
    per_address = int(settings.PASSWORD_RESET_RATE_PER_ADDRESS.split("/")[0])
    asker = client_from("198.51.100.80")
    for n in range(per_address):
        assert asker.post(RESET, {"email": f"person{n}@example.org"}).status_code == 302
    assert asker.post(RESET, {"email": "somchai@example.org"}).status_code == 429
    assert mail.outbox == []
    # Another address asking for the same account is served.
    assert client_from("203.0.113.80").post(RESET, {"email": "somchai@example.org"}).status_code == 302
    assert len(mail.outbox) == 1
    # An hour later the address may ask again.
    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert asker.post(RESET, {"email": "somchai@example.org"}).status_code == 302
