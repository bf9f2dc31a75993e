"""No dead ends (issue 13): the dashboard offers to start each document a committee may write; after a
request for changes the editor shows the reason; restarting a road from its first step is named for what
it does and asks first; the registrar's registry rows and announcements are links, and the records
link to their PDFs."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from documents.models import DocumentKind, GeneratedDocument
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from registry import services
from registry.models import RegistryEntry

from .conftest import action_url, current_task_state, decide, edit_url, login, run_to

pytestmark = pytest.mark.django_db


def add_url(model, network):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, network.pk))


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_dashboard_offers_to_start_each_document_the_committee_may_add(world, client):
    net_b = world["net_b"]
    html = login(client, world["chair_b"]).get(reverse("wagtailadmin_home")).content.decode()
    for model in (CharterPage, MeetingMinutesPage, ActionPlanPage):
        assert add_url(model, net_b) in html, model
        # The link leads somewhere: the editor of a new document under the network.
        assert client.get(add_url(model, net_b)).status_code == 200

    # Another network's committee is offered nothing under net_b.
    html = login(client, world["member_a"]).get(reverse("wagtailadmin_home")).content.decode()
    assert add_url(CharterPage, net_b) not in html
    assert add_url(MeetingMinutesPage, world["net_a"]) in html


@pytest.mark.walked_to("committee")
def test_editor_shows_the_reason_after_changes_are_requested(world, client):
    charter = world["charter"]
    reason = "กรุณาแก้ไขหมวด ๒ ให้ระบุวัตถุประสงค์ให้ชัดเจน"
    assert decide(client, world["chair_a"], charter, action="reject", comment=reason).status_code == 302

    in_english(world["member_a"])
    html = login(client, world["member_a"]).get(edit_url(charter)).content.decode()
    assert reason in html
    assert "Reason given by" in html and world["chair_a"].get_full_name() in html


@pytest.mark.walked_to("committee")
def test_restart_from_the_first_step_is_named_and_confirmed(world, client):
    charter = world["charter"]
    assert decide(client, world["chair_a"], charter, action="reject", comment="แก้ไขหมวด ๓").status_code == 302

    in_english(world["member_a"])
    with translation.override("en"):
        html = login(client, world["member_a"]).get(edit_url(charter)).content.decode()
    button = re.search(r'<button[^>]*name="action-restart-workflow"[^>]*>', html)
    assert button, "the editor offers to restart"
    assert "data-welfare-confirm=" in button.group(0)
    assert "Restart from the first step (Committee review)" in html
    # The confirmation (static/js/admin-csp.js) is loaded by every admin page.
    assert "js/admin-csp" in html


def test_registry_rows_link_to_the_record_and_the_record_to_its_certificate(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_to(client, world, "done")
    entry = RegistryEntry.objects.get(network=world["net_a"])
    inspect_url = reverse("registryentry:inspect", args=(entry.pk,))

    login(client, world["registrar"])
    assert f'href="{inspect_url}"' in client.get(reverse("registryentry:index")).content.decode()

    certificate = GeneratedDocument.objects.for_object(entry, DocumentKind.CERTIFICATE).current().get()
    html = client.get(inspect_url).content.decode()
    assert certificate.document.url in html
    assert client.get(certificate.document.url).status_code == 200

    # The announcement that lists it: a row that opens it, and its PDF from there.
    with django_capture_on_commit_callbacks(execute=True):
        announcement = services.issue_announcement(world["registrar"])
    announcement_url = reverse("registrationannouncement:inspect", args=(announcement.pk,))
    assert f'href="{announcement_url}"' in client.get(reverse("registrationannouncement:index")).content.decode()
    pdf = GeneratedDocument.objects.for_object(announcement, DocumentKind.ANNOUNCEMENT).current().get()
    assert pdf.document.url in client.get(announcement_url).content.decode()


@pytest.mark.walked_to("adoption")
def test_adoption_dialog_offers_meetings_by_name_not_ids_to_type(world, client):
    charter = world["charter"]
    in_english(world["secretary_a"])
    login(client, world["secretary_a"])
    response = client.get(action_url(charter, "approve", current_task_state(charter)))
    assert response.status_code == 200
    html = response.json()["html"] if response["Content-Type"].startswith("application/json") else response.content.decode()
    assert "Minutes of the adopting meeting" in html
    assert "(page id)" not in html and "(id)" not in html
    # The meetings are offered by number and date; nothing is typed.
    assert '<select name="minutes"' in html and '<select name="agenda_item"' in html
    assert world["minutes_a"].title in html
