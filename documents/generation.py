"""Making one official PDF from its source and storing it as a Wagtail document, idempotently."""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from core.wagtail_compat import set_document_file_metadata

from .models import GeneratedDocument, source_content_type
from .rendering import content_sha256, html_to_pdf, render_html
from .sources import source_for

logger = logging.getLogger(__name__)

PUBLIC_COLLECTION = "เอกสารทางการ (เผยแพร่) / Official documents (public)"
INTERNAL_COLLECTION = "เอกสารทางการ (ภายใน) / Official documents (internal)"


def render_source(kind, obj):
    """(html, sha256) of the document `kind` for `obj`; whether it may be public is part of the hash,
    so publishing a page files its PDF in the public collection."""
    source = source_for(kind)
    html = render_html(source.template_name, source.context(obj))
    visibility = "public" if source.is_public(obj) else "internal"
    return html, content_sha256(f"{visibility}\n{html}")


def generate(kind, pk) -> GeneratedDocument | None:
    """Make (or find) the PDF of the current state of the source; returns None when the source is
    gone. Runs inside the outbox task's transaction: a worker killed half-way leaves nothing behind
    in the database, and the redelivered task starts again from scratch."""
    source = source_for(kind)
    try:
        obj = source.load(pk)
    except source.model().DoesNotExist:
        logger.info("Source of %s %s is gone; nothing to generate", kind, pk)
        return None
    html, sha = render_source(kind, obj)
    existing = GeneratedDocument.objects.for_object(obj, kind).filter(content_sha256=sha).first()
    if existing is not None:
        _make_current(existing)
        return existing

    pdf = html_to_pdf(html)
    # {kind: seconds}: lets the test that kills a worker in the middle of a PDF find it there.
    pause = getattr(settings, "DOCUMENTS_TEST_PAUSE_AFTER_RENDER", {}).get(str(kind), 0)
    if pause:
        time.sleep(pause)

    Document = get_document_model()
    document = Document(title=source.document_title(obj)[:255], collection=_collection(source.is_public(obj)))
    document.file.save(source.file_name(obj, sha), ContentFile(pdf), save=False)
    set_document_file_metadata(document)
    document.save()
    with transaction.atomic():
        GeneratedDocument.objects.for_object(obj, kind).filter(is_current=True).update(is_current=False)
        generated = GeneratedDocument.objects.create(
            kind=kind,
            content_type=source_content_type(obj),
            object_id=obj.pk,
            content_sha256=sha,
            document=document,
            is_current=True,
        )
    return generated


def _make_current(generated):
    if generated.is_current:
        return
    with transaction.atomic():
        GeneratedDocument.objects.filter(
            kind=generated.kind, content_type=generated.content_type, object_id=generated.object_id, is_current=True
        ).update(is_current=False)
        GeneratedDocument.objects.filter(pk=generated.pk).update(is_current=True)


def _collection(public: bool):
    """The collection for generated PDFs; the internal one is visible to signed-in users only."""
    name = PUBLIC_COLLECTION if public else INTERNAL_COLLECTION
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        # Two workers making the first PDFs at once: the root's row lock lets one create it.
        with transaction.atomic():
            root = Collection.objects.select_for_update().get(pk=Collection.get_first_root_node().pk)
            collection = Collection.objects.filter(name=name).first()
            if collection is None:
                collection = root.add_child(name=name)
                if not public:
                    CollectionViewRestriction.objects.create(
                        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
                    )
    return collection

