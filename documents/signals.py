"""Regenerate a PDF when its source changes: a charter or minutes page is published (or unpublished),
a registry entry is saved (registration, amendment, revocation), an announcement is issued.
The request is made in the same transaction as the change (outbox), so it cannot be lost."""

from django.apps import apps
from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished

from . import api


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    if page._meta.label == "pages.CharterPage":
        api.request_charter_pdf(page)
    elif page._meta.label == "pages.MeetingMinutesPage":
        api.request_minutes_pdf(page)


def on_registry_entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        api.request_certificate(instance)


def on_announcement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        api.request_announcement_pdf(instance)


def connect():
    for label in ("pages.CharterPage", "pages.MeetingMinutesPage"):
        model = apps.get_model(label)
        page_published.connect(on_page_published, sender=model, dispatch_uid=f"documents-published-{label}")
        page_unpublished.connect(on_page_published, sender=model, dispatch_uid=f"documents-unpublished-{label}")
    post_save.connect(
        on_registry_entry_saved, sender="registry.RegistryEntry", dispatch_uid="documents-registry-entry"
    )
    # The announcement is saved before its entries are bulk-created in the same transaction; the
    # worker renders it after commit, so it lists them all.
    post_save.connect(
        on_announcement_saved, sender="registry.RegistrationAnnouncement", dispatch_uid="documents-announcement"
    )
