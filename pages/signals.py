"""Signal receivers of the documents, connected in PagesConfig.ready()."""

from django.contrib.contenttypes.models import ContentType

from .models import DraftMinutesAttachment, MeetingMinutesPage


def remember_draft_attachments(sender, instance, created, raw=False, **kwargs):
    """Every file a saved version of the minutes carries is remembered with its minutes, so that it is
    served only to those who may read them until the minutes are published (pages.wagtail_hooks)."""
    if raw or not created or instance.content_type_id != ContentType.objects.get_for_model(MeetingMinutesPage).pk:
        return
    documents = set()
    for row in (instance.content or {}).get("attachments") or []:
        document = row.get("document") if isinstance(row, dict) else None
        if isinstance(document, int):
            documents.add(document)
    DraftMinutesAttachment.objects.bulk_create(
        [DraftMinutesAttachment(page_id=int(instance.object_id), document_id=pk) for pk in sorted(documents)],
        ignore_conflicts=True,
    )
