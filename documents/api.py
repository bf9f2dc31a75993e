"""What other apps call to have official PDFs made, and to find them.

    from documents import api as documents
    documents.request_certificate(entry)        # in the registering transaction
    documents.current_document(entry, "certificate")  # -> wagtail Document or None

A request writes an outbox message in the caller's transaction; a Celery worker makes the PDF after
commit. The message's key holds the content hash, so asking twice for an unchanged source is free and
a changed source gets a new PDF.
"""

from outbox.api import enqueue

from .generation import render_source
from .models import DocumentKind, GeneratedDocument, source_content_type

TASK = "documents.tasks.generate_document"


def request_document(kind, obj):
    """Enqueue the PDF of `kind` for `obj` (its state when the worker runs). Returns the outbox message,
    or None when this very content was asked for already."""
    _html, sha = render_source(kind, obj)
    return enqueue(
        TASK,
        {"kind": str(kind), "pk": obj.pk, "description": f"{DocumentKind(kind).label}: {obj}"[:200]},
        dedupe_key=f"pdf:{kind}:{obj._meta.label_lower}:{obj.pk}:{sha}",
    )


def request_certificate(entry):
    return request_document(DocumentKind.CERTIFICATE, entry)


def request_page_document(kind, page):
    """Enqueue the PDF of a page just published or unpublished, without rendering it here: a long
    charter or minutes would cost the publishing request its whole text (and a query per attachment).
    The worker renders it and reuses the PDF of identical content (generate)."""
    return enqueue(
        TASK,
        {"kind": str(kind), "pk": page.pk, "description": f"{DocumentKind(kind).label}: {page}"[:200]},
    )


def request_announcement_pdf(announcement):
    return request_document(DocumentKind.ANNOUNCEMENT, announcement)


def current_generated(obj, kind) -> GeneratedDocument | None:
    return GeneratedDocument.objects.for_object(obj, kind).current().select_related("document").first()


def current_document(obj, kind):
    """The newest PDF of `kind` for `obj` as a Wagtail Document (its `.url` for links), or None while
    it is being made."""
    generated = current_generated(obj, kind)
    return generated.document if generated else None


def current_documents(objects, kind) -> dict:
    """{object pk: Document} for many objects of one model in one query (listings)."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = source_content_type(objects[0])
    rows = GeneratedDocument.objects.filter(
        kind=kind, content_type=content_type, object_id__in=[o.pk for o in objects], is_current=True
    ).select_related("document")
    return {row.object_id: row.document for row in rows}


def official_pdf_links(obj):
    """[(label, url)] of the current official PDFs of a registry entry (its certificate) or of an
    announcement, for the registrar's admin screens; empty while a PDF is being made."""
    kind = DocumentKind.ANNOUNCEMENT if obj._meta.model_name == "registrationannouncement" else DocumentKind.CERTIFICATE
    document = current_document(obj, kind)
    return [(DocumentKind(kind).label, document.url)] if document is not None else []
