"""Keep the Wagtail groups in step with the role records, in the transaction that saves the record."""

from django.db.models.signals import post_delete, post_save, pre_save

from core.wagtail_compat import cached_relation

from . import groups
from .models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)
from .roles import clear_role_cache

SHARED_ROLE_MODELS = (LocalOfficeAssignment, ProvincialOfficerAssignment, RegistrarAssignment, SupportStaffAssignment)


def remember_previous_holder(sender, instance, raw=False, **kwargs):
    """An edit may move a record to another user or network: the old pair must lose its access too."""
    instance._people_previous = None
    if raw or instance.pk is None:
        return
    fields = ["user_id", "network_id"] if sender is CommitteeMembership else ["user_id"]
    instance._people_previous = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _forget_cached_roles(instance):
    user = cached_relation(instance, "user")
    if user is not None:
        clear_role_cache(user)


def membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    groups.sync_committee_access(instance.user_id, instance.network_id)
    previous = getattr(instance, "_people_previous", None)
    if previous and (previous["user_id"], previous["network_id"]) != (instance.user_id, instance.network_id):
        groups.sync_committee_access(previous["user_id"], previous["network_id"])
    _forget_cached_roles(instance)


def membership_deleted(sender, instance, **kwargs):
    groups.sync_committee_access(instance.user_id, instance.network_id)
    _forget_cached_roles(instance)


def assignment_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    groups.sync_shared_group(instance.user_id, sender)
    previous = getattr(instance, "_people_previous", None)
    if previous and previous["user_id"] != instance.user_id:
        groups.sync_shared_group(previous["user_id"], sender)
    _forget_cached_roles(instance)


def assignment_deleted(sender, instance, **kwargs):
    groups.sync_shared_group(instance.user_id, sender)
    _forget_cached_roles(instance)


def connect():
    for model in (CommitteeMembership, *SHARED_ROLE_MODELS):
        pre_save.connect(remember_previous_holder, sender=model, dispatch_uid=f"people_previous_{model.__name__}")
    post_save.connect(membership_changed, sender=CommitteeMembership, dispatch_uid="people_membership_changed")
    post_delete.connect(membership_deleted, sender=CommitteeMembership, dispatch_uid="people_membership_deleted")
    for model in SHARED_ROLE_MODELS:
        post_save.connect(assignment_changed, sender=model, dispatch_uid=f"people_assignment_changed_{model.__name__}")
        post_delete.connect(assignment_deleted, sender=model, dispatch_uid=f"people_assignment_deleted_{model.__name__}")
