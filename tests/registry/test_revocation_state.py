"""Revocation is a state: the revoked charter is "revoked" in the state function (dashboard, listing,
edit screen) and on its public page; it cannot be submitted again as an amendment (refused on the
server); the network may apply again, and the new entry is linked to the revoked one; the committee's
chair and secretary and the officers of the province are told by e-mail."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import WorkflowState

from outbox.models import OutboxMessage
from registry.models import RegistryEntry
from registry.services import revoke
from tests.factories import add_adopting_minutes, add_charter
from tests.scoped import kept_while_in_scope, refetched
from tests.workflows.conftest import charter_form_data, edit_url, login, run_to
from workflows.errors import WorkflowActionRefused
from workflows.my_documents import NetworkDocuments
from workflows.state import StateKind, document_state, word_state
from workflows.status import document_status

pytestmark = pytest.mark.django_db

REASON = "ไม่ดำเนินงานตามข้อบังคับติดต่อกันเกินหนึ่งปี"


@pytest.fixture(scope="module")
def _revoked_world(_workflows_world, django_db_blocker):
    """The workflow tests' world (tests/workflows/conftest.py) with its charter registered through the admin
    and then revoked, built once for the module (tests/scoped.py): each test's writes roll back to it."""

    def build():
        world = refetched(_workflows_world)
        run_to(Client(), world, "done")
        entry = RegistryEntry.objects.get(network=world["net_a"])
        # The e-mails of the revocation are queued on commit, which the held transaction never reaches.
        with TestCase.captureOnCommitCallbacks(execute=True):
            revoke(entry, world["registrar"], REASON)
        entry.refresh_from_db()
        return dict(world, entry=entry)

    with kept_while_in_scope(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def revoked(_revoked_world, db):
    """The revoked world, read again for each test."""
    return refetched(_revoked_world)


def test_the_revoked_charter_is_revoked_everywhere(revoked, client):
    w = revoked
    charter = w["charter"]
    charter.refresh_from_db()
    state = document_state(charter)
    assert state.kind == StateKind.REVOKED
    assert state.since == w["entry"].revoked_on
    with translation.override("en"):
        assert word_state(state) == "revoked"
        assert document_status(charter) == "revoked"  # the listings' status column
        # The drafters' dashboard.
        rows = [
            row for section in NetworkDocuments(w["member_a"]).sections() for row in section.rows
            if row.page.pk == charter.pk
        ]
        assert rows[0].state.kind == StateKind.REVOKED and rows[0].state.label == "revoked"
    # The edit screen says it in the admin's language.
    response = login(client, w["member_a"]).get(edit_url(charter))
    assert response.status_code == 200
    with translation.override("th"):
        expected = translation.gettext("Current state: %(state)s") % {"state": word_state(document_state(charter))}
    assert expected in [str(m).strip() for m in get_messages(response.wsgi_request)]
    # The listing of the network's documents.
    listing = client.get(reverse("wagtailadmin_explore", args=[w["net_a"].pk])).content.decode()
    with translation.override("th"):
        assert word_state(document_state(charter)) in listing
    # The public page.
    client.logout()
    public = client.get(charter.get_url()).content.decode()
    assert REASON in public


def test_the_committee_and_the_province_are_told(revoked):
    message = OutboxMessage.objects.get(dedupe_key=f"workflows:revoked:{revoked['entry'].pk}")
    assert message.payload["to"] == ["chair_a@example.org", "officer_57@example.org", "secretary_a@example.org"]
    assert revoked["entry"].registration_number in message.payload["body"]
    assert REASON in message.payload["body"]
    assert message.payload["subject"].startswith("[เพิกถอนการรับรอง]")


def test_the_revoked_charter_cannot_be_amended(revoked, client):
    w = revoked
    charter = w["charter"]
    states_before = WorkflowState.objects.for_instance(charter).count()
    revisions_before = charter.revisions.count()
    login(client, w["member_a"])
    data = charter_form_data(client, charter)
    data["chapters-0-value-clauses-0-value"] = "ข้อความแก้ไขหลังถูกเพิกถอน"
    data["action-submit"] = "1"
    with translation.override("en"):
        response = client.post(edit_url(charter), data)
    assert response.status_code == 302
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and w["entry"].registration_number in errors[0]
    assert WorkflowState.objects.for_instance(charter).count() == states_before
    assert charter.revisions.count() == revisions_before
    # Any other way in is refused by the road's first step too.
    with pytest.raises(WorkflowActionRefused):
        charter.get_workflow().start(charter, w["member_a"])
    assert WorkflowState.objects.for_instance(charter).count() == states_before


def test_a_new_application_is_linked_to_the_revoked_entry(revoked, client):
    w = revoked
    old = w["entry"]
    title = "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง (ยื่นคำขอใหม่)"
    new_charter = add_charter(w["net_a"], title, clauses=[f"ข้อบังคับนี้เรียกว่า {title}"], author=w["member_a"])
    minutes = add_adopting_minutes(w["net_a"], 7, present=3, date=timezone.localdate())
    run_to(client, dict(w, charter=new_charter, minutes_a=minutes), "done")
    entries = list(RegistryEntry.objects.filter(network=w["net_a"]).order_by("pk"))
    assert len(entries) == 2
    new = entries[1]
    assert new.previous_registration_id == old.pk and not new.is_revoked
    assert new.registration_number != old.registration_number
    # The registrar sees the link, both ways.
    login(client, w["registrar"])
    html = client.get(reverse("registryentry:inspect", args=[new.pk])).content.decode()
    assert "data-previous-registration" in html and old.registration_number in html
    html = client.get(reverse("registryentry:inspect", args=[old.pk])).content.decode()
    assert "data-next-registration" in html and new.registration_number in html
    # The new charter is registered, the old one stays revoked.
    new_charter.refresh_from_db()
    assert document_state(new_charter).kind == StateKind.REGISTERED
    w["charter"].refresh_from_db()
    assert document_state(w["charter"]).kind == StateKind.REVOKED
