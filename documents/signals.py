"""Regenerate a PDF when its source changes: a charter or minutes page is published (or unpublished),
a registry entry is saved (registration, amendment, revocation), an announcement is issued.
The request is made in the same transaction as the change (outbox), so it cannot be lost."""

from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished

from pages.doctypes import document_type_for, document_types

from . import api
from .models import DocumentKind


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    document_type = document_type_for(page)
    if document_type is not None and document_type.pdf_kind is not None:
        api.request_page_document(DocumentKind(document_type.pdf_kind), page)


def on_registry_entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        api.request_certificate(instance)


def on_announcement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        api.request_announcement_pdf(instance)


def connect():
    # The document types with an official PDF (pages.doctypes).
    for document_type in document_types():
        if document_type.pdf_kind is None:
            continue
        label = document_type.model_label
        model = document_type.model
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
