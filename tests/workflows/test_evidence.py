"""Evidence that holds up: the adoption step cites certified minutes of the network's own meeting, held on
or after the day the adopted text last changed, whose agenda item adopted it with the quorum; the
citation records the text's SHA-256; one resolution adopts one text (the database refuses another), so
an amendment needs a new resolution; and a text changed after its adoption is refused at registration.
Each refusal names the rule that failed."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import TaskState

from pages.models import AgendaItem
from registry.services import sha256_of
from tests.factories import add_adopting_minutes, add_minutes
from workflows.actions import perform_action
from workflows.errors import WorkflowActionRefused
from workflows.models import AdoptedResolution, AdoptionCitation

from .conftest import charter_form_data, current_task_state, edit_url, login, run_to

pytestmark = pytest.mark.django_db


def adopt(world, minutes, item=None):
    """Record the adoption as the secretary; returns the refusal's message (English) or None."""
    task_state = current_task_state(world["charter"])
    item = item or minutes.adoption_item
    try:
        with translation.override("en"):
            perform_action(
                task_state.task.specific, task_state, world["secretary_a"], "approve",
                {"minutes": minutes.pk, "agenda_item": item.pk},
            )
    except WorkflowActionRefused as refusal:
        return refusal.message
    return None


@pytest.fixture
def at_adoption(world):
    """The world, its charter at the adoption step: walked there once for the module (`walked_to`)."""
    assert step_key(world["charter"]) == "AssemblyAdoptionTask"
    return world


def step_key(page):
    return type(current_task_state(page).task.specific).__name__


@pytest.mark.walked_to("adoption")
def test_certified_minutes_of_the_network_adopt_the_text_and_record_its_sha256(at_adoption):
    world = at_adoption
    assert adopt(world, world["minutes_a"]) is None
    citation = AdoptionCitation.objects.get()
    charter = world["charter"]
    assert citation.text_sha256 == sha256_of(charter.get_latest_revision_as_object().plain_text())
    assert citation.resolution.agenda_item == world["minutes_a"].adoption_item
    assert citation.resolution.text_sha256 == citation.text_sha256
    assert step_key(charter) == "LocalGovernmentCommentTask"


@pytest.mark.walked_to("adoption")
def test_draft_minutes_are_refused(at_adoption):
    world = at_adoption
    draft = add_adopting_minutes(world["net_a"], 5, present=3, certified=False)
    message = adopt(world, draft)
    assert message == (
        f"Minutes {draft.number_label} are not certified yet: only certified minutes can be cited as the "
        "adopting meeting. Nothing was changed."
    )
    assert not AdoptionCitation.objects.exists() and step_key(world["charter"]) == "AssemblyAdoptionTask"


@pytest.mark.walked_to("adoption")
def test_another_networks_minutes_are_refused(at_adoption):
    message = adopt(at_adoption, at_adoption["minutes_b"])
    assert message == "The minutes cited must be minutes of this charter's own network. Nothing was changed."


@pytest.mark.walked_to("adoption")
def test_a_meeting_before_the_text_last_changed_is_refused(at_adoption):
    world = at_adoption
    earlier = add_adopting_minutes(
        world["net_a"], 6, present=3, date=timezone.localdate() - datetime.timedelta(days=10)
    )
    message = adopt(world, earlier)
    assert message.startswith(f"Meeting {earlier.number_label} of ")
    assert "was held before the text under adoption last changed" in message
    assert not AdoptionCitation.objects.exists()


def test_the_day_the_text_changed_is_that_of_its_first_revision_with_this_text(world):
    """Saving again without changing the text does not move the day; changing it does."""
    from workflows.models import text_changed_on

    charter = world["charter"]
    first = charter.latest_revision
    first.created_at = timezone.now() - datetime.timedelta(days=30)
    first.save(update_fields=["created_at"])
    same = charter.save_revision()
    digest = sha256_of(charter.plain_text())
    assert text_changed_on(charter, same, digest) == timezone.localdate(first.created_at)


@pytest.mark.walked_to("adoption")
def test_an_item_of_other_minutes_is_refused(at_adoption):
    world = at_adoption
    other = add_adopting_minutes(world["net_a"], 8, present=3)
    message = adopt(world, world["minutes_a"], item=other.adoption_item)
    assert message == "The agenda item cited is not an item of these minutes. Nothing was changed."


@pytest.mark.walked_to("adoption")
def test_an_item_without_an_adopting_resolution_is_refused(at_adoption):
    world = at_adoption
    minutes = add_minutes(
        world["net_a"], 9, date=timezone.localdate(), committee_size=5, revision=False, publish=True,
        present=[{"name": f"กรรมการ {i}", "position": "กรรมการ", "is_committee_member": True} for i in range(4)],
        agenda=[
            {"title": "แจ้งเพื่อทราบ", "resolution": ""},
            {"title": "พิจารณาร่างข้อบังคับ", "resolution": "ไม่เห็นชอบ", "votes_for": 3, "votes_against": 9},
        ],
    )
    silent, rejected = AgendaItem.objects.filter(page=minutes).order_by("sort_order")
    for item in (silent, rejected):
        assert adopt(world, minutes, item=item) == (
            f"Agenda item {item.number} of minutes {minutes.number_label} records no resolution adopting the "
            "text. Nothing was changed."
        )


@pytest.mark.walked_to("adoption")
def test_a_meeting_without_quorum_is_refused(at_adoption):
    world = at_adoption
    message = adopt(world, world["inquorate_a"])
    assert message.startswith(f"Meeting {world['inquorate_a'].number_label} had no quorum (2 of 5")


@pytest.mark.walked_to("done")
def test_one_resolution_adopts_one_text_and_an_amendment_needs_a_new_one(world, client):
    charter = world["charter"]
    # The amendment: a changed text, submitted, approved by the committee.
    login(client, world["member_a"])
    data = charter_form_data(client, charter)
    data["chapters-0-value-clauses-0-value"] = "ข้อความที่แก้ไขเพิ่มเติม"
    data["action-submit"] = "1"
    assert client.post(edit_url(charter), data).status_code == 302
    run_to(client, world, "adoption")
    # The resolution that adopted the original text cannot adopt the amendment.
    message = adopt(world, world["minutes_a"])
    item = world["minutes_a"].adoption_item
    assert message == (
        f"The resolution of agenda item {item.number} of minutes {world['minutes_a'].number_label} already "
        "adopted another text: one resolution adopts one text, and an amendment needs a new resolution. "
        "Nothing was changed."
    )
    # A new meeting's resolution can.
    new_meeting = add_adopting_minutes(world["net_a"], 10, present=3)
    assert adopt(world, new_meeting) is None
    assert AdoptionCitation.objects.count() == 2
    # The database itself refuses a second text for one resolution.
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptedResolution.objects.create(agenda_item=item, text_sha256="0" * 64)


@pytest.mark.walked_to("registration")
def test_a_text_changed_after_its_adoption_is_refused_at_registration(world, client):
    charter = world["charter"]
    # The text reaching registration is not the one adopted (as if changed after the adoption).
    latest = charter.get_latest_revision_as_object()
    chapters = list(latest.chapters.raw_data)
    chapters[0]["value"]["clauses"][0] = {"type": "item", "value": "ข้อความที่เปลี่ยนหลังมีมติ"}
    latest.chapters = chapters
    changed = latest.save_revision()
    task_state = current_task_state(charter)
    TaskState.objects.filter(pk=task_state.pk).update(revision=changed)
    task_state.refresh_from_db()
    with translation.override("en"), pytest.raises(WorkflowActionRefused) as refused:
        perform_action(task_state.task.specific, task_state, world["registrar"], "approve", {"conditions": ""})
    assert refused.value.message.startswith("The text changed after the assembly adopted it")
    assert step_key(charter) == "RegistrationTask"
