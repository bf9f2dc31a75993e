"""Markup a committee writes is shown as text everywhere: the public pages, the HTML the PDFs are made
from, and the e-mails of the road. The browser half (Chromium runs the pages) is tests/browser/test_xss.py."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.generation import render_source
from networks.models import HomePage
from outbox.models import OutboxMessage
from tests.factories import make_committee_member
from tests.public.conftest import kept_while_in_scope
from tests.workflows.conftest import submit_via_editor

from .xss import FILE_NAME, PAYLOADS, build_xss_world, dangerous_fragments, public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def xss_world(django_db_setup, django_db_blocker):
    with kept_while_in_scope(django_db_blocker, lambda: build_xss_world(HomePage.objects.get())) as world:
        yield world


PAGES = ["network", "charter", "charter print", "minutes", "plan", "registry", "verify", "diff", "search",
         "search (English)", "charter (English)"]


@pytest.mark.parametrize("name", PAGES)
def test_public_page_shows_payloads_as_text(xss_world, name):
    response = Client().get(public_urls(xss_world)[name])
    assert response.status_code == 200, name
    html = response.content.decode()
    assert dangerous_fragments(html) == [], name
    # The text is there, escaped: the payloads were carried through, not dropped.
    assert "คำค้นพิเศษ" in html
    assert "&lt;script&gt;window.__xss=1" in html or "&lt;" in html


def test_minutes_page_shows_the_attachment_name_escaped(xss_world):
    html = Client().get(xss_world["minutes"].url).content.decode()
    assert dangerous_fragments(html) == []
    assert "&quot;&gt;&lt;img src=x onerror=alert(10)&gt;" in html or "&lt;img src=x onerror=alert(10)&gt;" in html


def test_api_and_downloads_are_json_and_csv_not_html(xss_world):
    client = Client()
    for url, content_type in [
        (f"/api/v1/charters/{xss_world['charter'].pk}/", "application/json"),
        (f"/api/v1/registry/{xss_world['entry'].registration_number}/", "application/json"),
        ("/registry/registry.json", "application/json"),
        ("/registry/registry.csv", "text/csv"),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type), url
        # A browser never renders these as HTML.
        assert response.get("X-Content-Type-Options") == "nosniff", url


@pytest.mark.parametrize("kind, key", [("charter", "charter"), ("minutes", "minutes"), ("certificate", "entry")])
def test_pdf_html_shows_payloads_as_text(xss_world, kind, key):
    html, _sha = render_source(kind, xss_world[key])
    assert dangerous_fragments(html) == [], kind
    assert "&lt;" in html


def test_emails_are_plain_text_with_the_payload_as_written(xss_world, client):
    """The road's e-mails are text/plain (no HTML part a mail reader would render), so a title is written
    as the committee wrote it, neither run nor mangled into entities."""
    network = xss_world["network"]
    member = make_committee_member(network, "xss_member", "member", email="member@example.org")
    make_committee_member(network, "xss_chair", "chair", email="chair@example.org")
    charter = xss_world["charter"]
    client.force_login(member)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    response = submit_via_editor(client, charter)
    assert response.status_code == 302
    messages = [m for m in OutboxMessage.objects.exclude(pk__in=before) if m.payload.get("body")]
    assert messages, "submitting the charter queues an e-mail to the chair"
    for message in messages:
        payload = message.payload
        assert not payload.get("html_body")
        assert charter.title in payload["subject"] + payload["body"]
        assert "&lt;" not in payload["body"] and "&quot;" not in payload["body"]


def test_admin_listing_and_history_show_payloads_as_text(xss_world, client):
    """The committee's own admin screens show the same text escaped (the editor, the history)."""
    member = make_committee_member(xss_world["network"], "xss_reader", "member")
    client.force_login(member)
    for url in (
        reverse("wagtailadmin_pages:edit", args=[xss_world["minutes"].pk]),
        reverse("wagtailadmin_explore", args=[xss_world["network"].pk]),
        reverse("wagtailadmin_pages:history", args=[xss_world["plan"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert dangerous_fragments(response.content.decode()) == [], url


def test_corpus_covers_the_payload_kinds():
    kinds = " ".join(PAYLOADS)
    for needle in ("<script>", "onerror=", "<svg onload", "javascript:", "ontoggle", "srcdoc", "{{"):
        assert needle in kinds
    assert "<img" in FILE_NAME
