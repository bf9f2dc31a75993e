from django.http import Http404
from wagtail import hooks

from .models import MinutesAttachment


@hooks.register("before_serve_document")
def keep_attachments_of_unpublished_minutes_private(document, request):
    """An attachment is public once minutes that carry it are published; until then only people who
    work in the admin (drafters and reviewers) may open it, whoever learns its link."""
    attached = MinutesAttachment.objects.filter(document=document)
    if not attached.exists() or attached.filter(page__live=True).exists():
        return None
    user = request.user
    if user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"):
        return None
    raise Http404
