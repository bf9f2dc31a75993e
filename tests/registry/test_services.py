import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template

from networks.models import NetworkPage
from registry.models import RegistrationNumberSequence, RegistryAmendment, RegistryEntry
from registry.services import (
    ORGANIZATION_SUFFIX,
    organization_display_name,
    register,
    registration_recorded,
    revoke,
    with_registration_status,
)
from tests.factories import add_charter, add_province

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 23)  # B.E. 2569


def test_first_registration_gets_a_number_and_the_text(charter, registrar):
    network = charter.network
    revision = charter.latest_revision
    entry = register(charter, registrar, conditions="รายงานทุก 6 เดือน", revision=revision, on_date=DAY)
    assert entry.registration_number == "57-2569-0001"
    assert entry.network_id == network.pk
    assert entry.organization_name == network.title
    assert entry.registered_on == DAY
    assert entry.charter_revision_id == revision.pk
    assert entry.registered_text == charter.plain_text()
    assert "ข้อ 1 สมาชิกต้องมีภูมิลำเนาในตำบล" in entry.registered_text
    assert entry.text_sha256 == hashlib.sha256(entry.registered_text.encode()).hexdigest()
    assert entry.registered_by == registrar
    assert entry.history.count() == 1
    assert entry.history.first().history_user == registrar


def test_numbers_are_unique_and_sequential_across_provinces(home, registrar):
    numbers = []
    for code, name in [("57", "เชียงราย"), ("50", "เชียงใหม่"), ("57", "เชียงรายสอง")]:
        network = add_province(home, code, title=f"เครือข่าย{name}")
        numbers.append(register(add_charter(network, publish=True), registrar, on_date=DAY).registration_number)
    assert numbers == ["57-2569-0001", "50-2569-0002", "57-2569-0003"]
    # A new Buddhist year starts its own counter.
    network = add_province(home, "57", title="เครือข่ายปีใหม่")
    entry = register(add_charter(network, publish=True), registrar, on_date=datetime.date(2027, 1, 2))
    assert entry.registration_number == "57-2570-0001"
    assert dict(RegistrationNumberSequence.objects.values_list("year", "last_number")) == {2569: 3, 2570: 1}


def test_the_database_refuses_a_duplicate_number(charter, registrar, home):
    entry = register(charter, registrar, on_date=DAY)
    other = add_province(home, "50", title="เครือข่ายเชียงใหม่")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.create(
            network=other, registration_number=entry.registration_number, registered_on=DAY, organization_name="x"
        )
    # The counter is unique within the year whatever the province prefix says.
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.create(
            network=other, registration_number="50-2569-0001", number_year=2569, number_serial=1,
            registered_on=DAY, organization_name="x",
        )
    assert (entry.number_year, entry.number_serial) == (2569, 1)


def test_repeat_registration_of_the_same_revision_is_idempotent(charter, registrar):
    revision = charter.latest_revision
    sent = []

    def receiver(**kwargs):
        sent.append(kwargs)

    registration_recorded.connect(receiver, dispatch_uid="test-repeat")
    try:
        first = register(charter, registrar, revision=revision, on_date=DAY)
        second = register(charter, registrar, revision=revision, on_date=DAY)
    finally:
        registration_recorded.disconnect(dispatch_uid="test-repeat")
    assert first.pk == second.pk
    assert RegistryEntry.objects.count() == 1
    assert RegistryAmendment.objects.count() == 0
    assert RegistrationNumberSequence.objects.get().last_number == 1
    assert len(sent) <= 1  # on_commit inside the test transaction: never twice


def test_repeat_without_revision_is_idempotent_by_text(charter, registrar):
    register(charter, registrar, on_date=DAY)
    register(charter, registrar, on_date=DAY)
    assert RegistryEntry.objects.count() == 1
    assert RegistryAmendment.objects.count() == 0


def test_amendment_keeps_the_number_and_moves_the_text(charter, registrar, second_registrar):
    first_revision = charter.latest_revision
    entry = register(charter, registrar, revision=first_revision, on_date=DAY)
    original_text = entry.registered_text

    charter.version_label = "พ.ศ. ๒๕๖๙ แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๗๐"
    charter.chapters = [("chapter", {"title": "บททั่วไป", "clauses": ["สมาชิกต้องมีภูมิลำเนาในอำเภอ"]})]
    amended_revision = charter.save_revision()
    amended_revision.publish()

    later = datetime.date(2027, 3, 1)
    amended = register(charter, second_registrar, conditions="", revision=amended_revision, on_date=later)
    assert amended.pk == entry.pk
    assert amended.registration_number == "57-2569-0001"
    assert "สมาชิกต้องมีภูมิลำเนาในอำเภอ" in amended.registered_text
    assert amended.charter_revision_id == amended_revision.pk
    amendment = amended.amendments.get()
    assert amendment.sequence == 1
    assert amendment.registered_on == later
    assert amendment.registered_by == second_registrar
    assert amendment.text_sha256 == amended.text_sha256
    # The original text stays in the entry's history.
    assert amended.history.earliest().registered_text == original_text

    # Re-registering either revision again adds nothing.
    register(charter, registrar, revision=amended_revision, on_date=later)
    register(charter, registrar, revision=first_revision, on_date=later)
    assert amended.amendments.count() == 1
    # A second amendment gets the next sequence number.
    charter.chapters = [("chapter", {"title": "บททั่วไป", "clauses": ["ข้อความใหม่"]})]
    third = charter.save_revision()
    register(charter, registrar, revision=third, on_date=later)
    assert list(amended.amendments.values_list("sequence", flat=True)) == [1, 2]
    assert RegistrationNumberSequence.objects.get(year=2569).last_number == 1
    assert not RegistrationNumberSequence.objects.filter(year=2570).exists()


def test_registering_a_revision_of_another_charter_is_refused(charter, registrar, home):
    other = add_charter(add_province(home, "50", title="เครือข่ายเชียงใหม่"), publish=True)
    with pytest.raises(ValidationError) as excinfo:
        register(charter, registrar, revision=other.latest_revision, on_date=DAY)
    assert excinfo.value.code == "wrong_revision"
    assert not RegistryEntry.objects.exists()


def test_non_registrar_is_refused_and_nothing_changes(charter, officer, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x")
    for user in (officer, superuser, None):
        with pytest.raises(ValidationError) as excinfo:
            register(charter, user, on_date=DAY)
        assert excinfo.value.code == "not_registrar"
    assert not RegistryEntry.objects.exists()
    assert not RegistrationNumberSequence.objects.exists()


def test_revoke_requires_a_reason_and_keeps_the_record(charter, registrar):
    entry = register(charter, registrar, on_date=DAY)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as excinfo:
            revoke(entry, registrar, reason)
        assert "reason" in excinfo.value.message_dict
    entry.refresh_from_db()
    assert not entry.is_revoked

    revoked_on = datetime.date(2027, 6, 1)
    revoke(entry, registrar, "  ไม่ดำเนินกิจกรรมตามข้อบังคับ ", on_date=revoked_on)
    entry.refresh_from_db()
    assert entry.is_revoked
    assert entry.revoked_on == revoked_on
    assert entry.revocation_reason == "ไม่ดำเนินกิจกรรมตามข้อบังคับ"
    assert entry.revoked_by == registrar
    assert entry.registration_number == "57-2569-0001"
    latest = entry.history.latest()
    assert latest.status == "revoked" and latest.history_user == registrar
    assert latest.history_change_reason == "ไม่ดำเนินกิจกรรมตามข้อบังคับ"
    assert entry.history.count() == 2

    # A revoked entry cannot be revoked again nor amended; its number is not reused.
    with pytest.raises(ValidationError):
        revoke(entry, registrar, "อีกครั้ง")
    with pytest.raises(ValidationError) as excinfo:
        register(charter, registrar, on_date=revoked_on)
    assert excinfo.value.code == "revoked"


def test_revoke_by_non_registrar_is_refused(charter, registrar, officer):
    entry = register(charter, registrar, on_date=DAY)
    with pytest.raises(ValidationError):
        revoke(entry, officer, "เหตุผล")
    entry.refresh_from_db()
    assert not entry.is_revoked


def test_organization_display_name(charter, registrar, home, django_assert_num_queries):
    network = charter.network
    assert organization_display_name(network) == network.title
    entry = register(charter, registrar, on_date=DAY)
    assert organization_display_name(network) == f"{network.title} {ORGANIZATION_SUFFIX}"

    other = add_province(home, "50", title="เครือข่ายเชียงใหม่")
    with django_assert_num_queries(1):
        names = {
            n.pk: organization_display_name(n)
            for n in with_registration_status(NetworkPage.objects.filter(level="province"))
        }
    assert names == {network.pk: f"{network.title} {ORGANIZATION_SUFFIX}", other.pk: other.title}

    rendered = Template("{% load registry_tags %}{{ network|organization_name }}").render(Context({"network": network}))
    assert rendered == f"{network.title} {ORGANIZATION_SUFFIX}"

    revoke(entry, registrar, "ทุจริต")
    assert organization_display_name(network) == network.title
