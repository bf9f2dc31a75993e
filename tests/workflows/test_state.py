"""One state, one wording (workflows.state): the value a document's state is, and the same words for it
in the listing, the edit screen, the dashboard and the e-mails, in the reader's language only."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.users.models import UserProfile

from core.i18n import BILINGUAL_SEPARATOR
from outbox.models import OutboxMessage
from workflows.state import StateKind, document_state, word_state

from .conftest import CHECKLIST_ALL, decide, edit_url, login, run_to

pytestmark = pytest.mark.django_db

WAITING_EN = "Awaiting provincial review"


def in_language(user, language):
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


def screens(client, world, user):
    """The listing of the network, the edit screen and the dashboard, as `user` sees them."""
    login(client, user)
    listing = client.get(reverse("wagtailadmin_explore", args=[world["net_a"].pk])).content.decode()
    edit = client.get(edit_url(world["charter"])).content.decode()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    dashboard = home[home.index('id="my-network-documents-section"') :]
    return {"listing": listing, "edit": edit, "dashboard": dashboard}


def test_the_state_as_a_value(world, client):
    charter = world["charter"]
    assert document_state(charter).kind == StateKind.DRAFT
    run_to(client, world, "provincial")
    state = document_state(charter)
    assert state.kind == StateKind.IN_REVIEW
    assert state.step_key == "provincial_review"
    assert state.by == world["member_a"] and state.since is not None
    with translation.override("en"):
        assert str(state.actors_label) == "an officer of the provincial office"
        assert word_state(state) == WAITING_EN

    decide(client, world["officer_57"], charter, action="reject", comment="ขาดแผนปฏิบัติการ", **CHECKLIST_ALL)
    state = document_state(charter)
    assert state.kind == StateKind.CHANGES_REQUESTED and state.step_key == "provincial_review"
    assert state.reason == "ขาดแผนปฏิบัติการ" and state.by == world["officer_57"]
    assert state.actors_label == ""
    with translation.override("en"):
        assert word_state(state) == "changes requested at “Provincial review”"


@pytest.mark.walked_to("provincial")
@pytest.mark.parametrize("language", ["th", "en"])
def test_one_wording_on_every_screen_in_the_readers_language(world, client, language):
    member = world["member_a"]
    in_language(member, language)
    with translation.override("th"):
        thai = word_state(document_state(world["charter"]))
    with translation.override("en"):
        english = word_state(document_state(world["charter"]))
    assert english == WAITING_EN
    assert thai == "รอ พมจ. พิจารณา"
    expected, other = (thai, english) if language == "th" else (english, thai)
    for name, html in screens(client, world, member).items():
        assert escape(expected) in html, (language, name)
        assert escape(other) not in html, (language, name)
        # The old bracketed wording is gone everywhere.
        assert "(Provincial review)" not in html and "(Committee review)" not in html, name


@pytest.mark.walked_to("provincial")
def test_emails_say_the_step_each_part_in_its_own_language(world, client):
    waiting = [
        m for m in OutboxMessage.objects.filter(task_name="outbox.tasks.send_email")
        if "officer_57@example.org" in m.payload["to"]
    ]
    assert len(waiting) == 1
    thai_part, english_part = waiting[0].payload["body"].split(BILINGUAL_SEPARATOR)
    with translation.override("th"):
        step_th = translation.gettext("Provincial review")
    assert step_th in thai_part
    assert "Provincial review" in english_part and "พมจ. ตรวจสอบคำขอ" not in english_part
    assert "(Provincial review)" not in waiting[0].payload["body"]
    assert "(Provincial review)" not in waiting[0].payload["subject"]


@pytest.mark.walked_to("provincial")
def test_thai_email_part_has_no_english_step_name(world, client):
    """Runs green once the Thai catalog has the road's step labels (merged from the translations
    JSON of this change): the Thai part then says «พมจ. ตรวจสอบคำขอ» and no English."""
    message = next(
        m for m in OutboxMessage.objects.filter(task_name="outbox.tasks.send_email")
        if "officer_57@example.org" in m.payload["to"]
    )
    thai_part = message.payload["body"].split(BILINGUAL_SEPARATOR)[0]
    assert "พมจ. ตรวจสอบคำขอ" in thai_part
    assert "Provincial review" not in thai_part
