"""The whole road through the admin: draft → registered and public → amendment → revocation."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from registry.models import RegistryEntry
from registry.services import organization_display_name
from workflows.models import AdoptionCitation, DecisionKind, ProvincialChecklist, StepDecision

from .conftest import (
    charter_form_data,
    current_task_state,
    edit_url,
    login,
    run_to,
)

pytestmark = pytest.mark.django_db


def public_url(page):
    return page.get_url()


def test_draft_to_registered_and_public(world, client):
    charter = world["charter"]
    url = public_url(charter)
    assert client.get(url).status_code == 404

    run_to(client, world, "done")

    charter.refresh_from_db()
    assert charter.live
    response = client.get(url)
    assert response.status_code == 200
    assert "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง" in response.content.decode()

    entry = RegistryEntry.objects.get(network=world["net_a"])
    assert entry.registration_number

    assert organization_display_name(world["net_a"]).endswith("(องค์กรสวัสดิการชุมชน)")
    assert entry.registered_by == world["registrar"]
    state = WorkflowState.objects.for_instance(charter).get()
    assert state.status == WorkflowState.STATUS_APPROVED

    # What each step recorded, beyond Wagtail's task states.
    decisions = StepDecision.objects.filter(task_state__workflow_state=state).order_by("decided_at", "pk")
    assert [d.kind for d in decisions] == [DecisionKind.APPROVED] * 5
    citation = AdoptionCitation.objects.get()
    assert citation.minutes_id == world["minutes_a"].pk
    assert (citation.present_committee_members, citation.committee_size) == (3, 5)
    assert ProvincialChecklist.objects.get().complete
    assert decisions.last().registry_entry == entry

    # Wagtail's workflow history shows each step with our data in its comment.
    login(client, world["chair_a"])
    history = client.get(reverse("wagtailadmin_pages:workflow_history_detail", args=[charter.pk, state.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "1/2569" in html and "พิจารณาร่างข้อบังคับ" in html  # the adoption citation
    assert "อบต.เวียงเห็นควรสนับสนุน" in html  # the local government's comment
    assert "✓" in html  # the provincial checklist
    comments = list(
        TaskState.objects.filter(workflow_state=state).order_by("pk").values_list("comment", flat=True)
    )
    assert "1/2569" in comments[1]
    assert comments[2] == "อบต.เวียงเห็นควรสนับสนุน"
    assert "✓" in comments[3]


def test_amendment_keeps_registered_text_public(world, client):
    charter = world["charter"]
    run_to(client, world, "done")
    entry = RegistryEntry.objects.get(network=world["net_a"])
    url = public_url(charter)

    login(client, world["member_a"])
    data = charter_form_data(client, charter)
    data["chapters-0-value-clauses-0-value"] = "ข้อความที่แก้ไขเพิ่มเติม"
    data["version_label"] = "แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๙"
    data["action-submit"] = "1"
    assert client.post(edit_url(charter), data).status_code == 302
    assert current_task_state(charter).task.name.endswith("(Committee review)")

    client.logout()
    public = client.get(url).content.decode()
    assert "ข้อความที่แก้ไขเพิ่มเติม" not in public
    assert "ข้อบังคับนี้เรียกว่า" in public

    run_to(client, world, "done")
    entry.refresh_from_db()
    assert entry.amendments.count() == 1
    assert entry.amendments.get().version_label == "แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๙"
    assert "ข้อความที่แก้ไขเพิ่มเติม" in client.get(url).content.decode()

    # Revocation through the registrar's screen (registry app): the entry stays, marked revoked.
    login(client, world["registrar"])
    response = client.post(
        reverse("registryentry:revoke", args=[entry.pk]),
        {"reason": "ไม่ดำเนินงานตามข้อบังคับ", "revoked_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_revoked and entry.revocation_reason == "ไม่ดำเนินงานตามข้อบังคับ"
