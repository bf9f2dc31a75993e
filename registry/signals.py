"""The changes a registered organization must notify within 30 days that the site sees by itself: its
committee (a membership added, ended, given another role, or removed in people/) and its office (the
network page's office address, when a new value is published). Each records a NoticeDue
(registry.duties.record_notice_due); people and networks know nothing of the registry, so the receivers
live here and are connected in RegistryConfig.ready().
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from networks.models import NetworkPage
from people.models import CommitteeMembership

from .duties import record_notice_due
from .models import NoticeKind, RegistryEntry, RegistryStatus

# What makes a saved membership a change of the committee (a corrected note is not).
COMMITTEE_FIELDS = ("network_id", "user_id", "role", "started_on", "ended_on")
BEFORE_ATTR = "_registry_before_save"


def _standing_entry(network_id):
    """(pk, registered on) of the network's standing registration, or None."""
    return (
        RegistryEntry.objects.filter(network_id=network_id, status=RegistryStatus.REGISTERED)
        .values_list("pk", "registered_on").first()
    )


def _record(network_id, kind, changed_on):
    standing = _standing_entry(network_id)
    # A change before the registration was part of the application, not a change to notify.
    if standing is not None and changed_on >= standing[1]:
        record_notice_due(standing[0], kind, changed_on)


def _touches(update_fields, fields):
    """The save may write one of `fields` (update_fields names a field or its column)."""
    names = set(fields) | {field.removesuffix("_id") for field in fields}
    return update_fields is None or bool(names & set(update_fields))


def remember_membership(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or not _touches(update_fields, COMMITTEE_FIELDS):
        return
    instance.__dict__[BEFORE_ATTR] = CommitteeMembership.objects.filter(pk=instance.pk).values(*COMMITTEE_FIELDS).first()


def membership_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if created:
        _record(instance.network_id, NoticeKind.COMMITTEE, instance.started_on)
        return
    if before is None:
        return
    if before["ended_on"] is None and instance.ended_on is not None:
        _record(instance.network_id, NoticeKind.COMMITTEE, instance.ended_on)
    elif any(before[field] != getattr(instance, field) for field in COMMITTEE_FIELDS):
        _record(instance.network_id, NoticeKind.COMMITTEE, timezone.localdate())
        if before["network_id"] != instance.network_id:
            _record(before["network_id"], NoticeKind.COMMITTEE, timezone.localdate())


def membership_deleted(sender, instance, **kwargs):
    # An ended membership is history; removing it changes nobody's seat.
    if instance.ended_on is None:
        _record(instance.network_id, NoticeKind.COMMITTEE, timezone.localdate())


def remember_office(sender, instance, raw=False, update_fields=None, **kwargs):
    # Saving a draft writes only the revision's fields; the live address changes when it is published.
    if raw or instance.pk is None or not _touches(update_fields, ("office_address",)):
        return
    instance.__dict__[BEFORE_ATTR] = (
        NetworkPage.objects.filter(pk=instance.pk).values_list("office_address", flat=True).first()
    )


def office_saved(sender, instance, created, raw=False, **kwargs):
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if raw or created or before is None:
        return
    if before.strip() != (instance.office_address or "").strip():
        _record(instance.pk, NoticeKind.OFFICE, timezone.localdate())


def connect():
    uid = "registry.signals.%s"
    pre_save.connect(remember_membership, sender=CommitteeMembership, dispatch_uid=uid % "remember_membership")
    post_save.connect(membership_saved, sender=CommitteeMembership, dispatch_uid=uid % "membership_saved")
    post_delete.connect(membership_deleted, sender=CommitteeMembership, dispatch_uid=uid % "membership_deleted")
    pre_save.connect(remember_office, sender=NetworkPage, dispatch_uid=uid % "remember_office")
    post_save.connect(office_saved, sender=NetworkPage, dispatch_uid=uid % "office_saved")
