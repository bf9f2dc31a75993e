from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from people.permissions import may_read_document, reads_documents
from people.roles import (
    is_committee_member,
    is_local_office_for,
    is_provincial_officer_for,
    is_registrar,
    is_support_staff,
)

from .creation import claim_or_answer, link_created_page
from .models import CharterPage, DraftMinutesAttachment, MinutesAttachment, NetworkDocumentPage
from .reading import DOCUMENT_MODELS, DocumentReadingView, ReadableDocumentsView, readable_documents
from .word_views import CharterWordImportView, charter_word_export, import_refusal, may_export


def may_read_unpublished_attachment(user, minutes):
    """Who may open an attachment of minutes not yet published: the committee of the minutes' own
    network, its reviewers (the local office serving it, the officer of its province), the registrar,
    CODI support staff (who read drafts across networks) and administrators. Nobody else, whoever
    learns the link: not another network's committee, not a higher network's."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or is_registrar(user) or is_support_staff(user):
        return True
    network = minutes.network_id
    return (
        is_committee_member(user, network)
        or is_local_office_for(user, minutes)
        or is_provincial_officer_for(user, minutes)
    )


@hooks.register("before_serve_document")
def keep_attachments_of_unpublished_minutes_private(document, request):
    """An attachment is public once minutes that carry it are published; until then only the people
    of `may_read_unpublished_attachment` may open it."""
    attachments = list(MinutesAttachment.objects.filter(document=document).select_related("page__network"))
    if any(attachment.page.live for attachment in attachments):
        return None
    if not attachments:
        # A file only a draft carries (added after the minutes' first save): private like the draft.
        attachments = list(DraftMinutesAttachment.objects.filter(document=document).select_related("page"))
        if not attachments:
            return None
    if any(may_read_unpublished_attachment(request.user, attachment.page) for attachment in attachments):
        return None
    raise Http404


@hooks.register("register_admin_urls")
def register_document_reading_urls():
    # Wagtail wraps these in its admin-access check; the view checks who may read (pages.reading).
    return [
        path("read/", ReadableDocumentsView.as_view(), name="pages_readable_documents"),
        path("read/<int:page_id>/", DocumentReadingView.as_view(), name="pages_read_document"),
        path(
            "read/<int:page_id>/revisions/<int:revision_id>/",
            DocumentReadingView.as_view(),
            name="pages_read_revision",
        ),
    ]


class ReadDocumentsMenuItem(MenuItem):
    def is_shown(self, request):
        # Those who read without editing: support staff, registrars, officers, local offices, committees.
        return reads_documents(request.user)


@hooks.register("register_admin_menu_item")
def register_read_documents_menu_item():
    return ReadDocumentsMenuItem(
        _("Read documents"), reverse_lazy("pages_readable_documents"), icon_name="doc-full", order=240
    )


@hooks.register("register_page_header_buttons")
def read_only_button(page, user, view_name=None, next_url=None):
    """From the editor (where a reviewer may stand while the text is frozen), the read-only view with
    the drafts and the history."""
    if isinstance(page.specific_deferred, NetworkDocumentPage) and may_read_document(user, page):
        yield Button(_("Drafts and history"), url=reverse("pages_read_document", args=[page.pk]), icon_name="history", priority=95)


@hooks.register("before_create_page")
def create_once(request, parent_page, page_class):
    """A second POST of the same create form makes no second page (pages.creation)."""
    if request.method == "POST" and issubclass(page_class, NetworkDocumentPage):
        return claim_or_answer(request)
    return None


@hooks.register("after_create_page")
def remember_created_page(request, page):
    link_created_page(request, page)


@hooks.register("construct_page_chooser_queryset")
def choose_only_documents_one_may_read(pages, request):
    """The page chooser offers the tree and the published documents, and the unpublished documents the
    user may read (pages.reading), never another network's drafts."""
    user = request.user
    if user.is_superuser:
        return pages
    drafts = Q(live=False, content_type_id__in=[ContentType.objects.get_for_model(model).id for model in DOCUMENT_MODELS])
    return pages.filter(~drafts | Q(pk__in=readable_documents(user).values("pk")))


@hooks.register("construct_document_chooser_queryset")
def choose_only_attachments_one_may_read(documents, request):
    """The document chooser leaves out the attachments of unpublished minutes the user may not open
    (keep_attachments_of_unpublished_minutes_private), so their titles do not leak either."""
    user = request.user
    if user.is_superuser:
        return documents
    hidden = MinutesAttachment.objects.filter(page__live=False).exclude(
        page_id__in=readable_documents(user).values("pk")
    )
    return documents.exclude(pk__in=hidden.values("document_id"))


@hooks.register("register_admin_urls")
def register_charter_word_urls():
    # Wagtail wraps these in its admin-access check; each view checks who may import or read (pages.word_views).
    return [
        path("charters/<int:page_id>/word-import/", CharterWordImportView.as_view(), name="pages_charter_word_import"),
        path("charters/<int:page_id>/word/", charter_word_export, name="pages_charter_word"),
        path(
            "charters/<int:page_id>/revisions/<int:revision_id>/word/",
            charter_word_export,
            name="pages_charter_revision_word",
        ),
    ]


@hooks.register("register_page_header_buttons")
def charter_word_buttons(page, user, view_name=None, next_url=None):
    """On a charter's admin pages: «นำเข้าจาก Word» for those who may change it now, the latest draft as
    .docx for those who may read it."""
    if view_name == "index" or not isinstance(page.specific_deferred, CharterPage):
        return
    if import_refusal(user, page.specific_deferred) is None:
        yield Button(
            _("Import from Word"), url=reverse("pages_charter_word_import", args=[page.pk]), icon_name="upload",
            priority=96,
        )
    if may_export(user, page.specific_deferred):
        yield Button(
            _("Download as Word (.docx)"), url=reverse("pages_charter_word", args=[page.pk]), icon_name="download",
            priority=97,
        )
