"""Reading a network's document in the admin without the right to write it (issue 9): CODI support staff
across networks, the committee of a higher network for the funds below it, and the reviewers. Wagtail's
own history, revision and preview views open only for those who may edit; these views answer GET only
and write nothing."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, PageLogEntry, Revision

from networks.models import NetworkLevel, NetworkPage
from people.models import LOCAL_OFFICE_AREA_LEVELS
from people.permissions import may_read_document
from people.roles import (
    committee_seats,
    is_registrar,
    is_support_staff,
    local_office_networks,
    officer_province_codes,
)

from .models import ActionPlanPage, CharterPage, MeetingMinutesPage, NetworkDocumentPage

DOCUMENT_MODELS = (CharterPage, MeetingMinutesPage, ActionPlanPage)

HISTORY_SHOWN = 100


class DocumentReadingView(WagtailAdminTemplateMixin, TemplateView):
    """The latest draft of a document, its revisions and its history, read-only."""

    http_method_names = ["get", "head", "options"]
    template_name = "pages/document_reading.html"
    header_icon = "doc-full"
    page_title = _("Read a document")

    def dispatch(self, request, *args, **kwargs):
        page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not isinstance(page, NetworkDocumentPage) or not may_read_document(request.user, page):
            raise PermissionDenied
        self.document = page
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.document.get_admin_display_title()

    def get(self, request, *args, revision_id=None, **kwargs):
        if revision_id is not None:
            revision = get_object_or_404(Revision.objects.for_instance(self.document), pk=revision_id)
            draft = revision.as_object()
            return draft.make_preview_request(request, draft.default_preview_mode)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.document
        context["document"] = page
        # A charter's versions can be downloaded as Word (pages.word_views).
        context["word_export"] = isinstance(page, CharterPage)
        context["revisions"] = (
            Revision.objects.for_instance(page).select_related("user").order_by("-created_at", "-pk")[:HISTORY_SHOWN]
        )
        context["history"] = (
            PageLogEntry.objects.filter(page_id=page.pk).select_related("user").order_by("-timestamp", "-pk")[:HISTORY_SHOWN]
        )
        return context


class ReadableDocumentsView(WagtailAdminTemplateMixin, TemplateView):
    """The documents the user may read (`readable_documents`), newest change first, 50 a page."""

    http_method_names = ["get", "head", "options"]
    template_name = "pages/readable_documents.html"
    header_icon = "doc-full"
    page_title = _("Documents of the networks")
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        documents = readable_documents(self.request.user)
        query = self.request.GET.get("q", "").strip()[:100].replace("\x00", "")
        if query:
            documents = documents.filter(title__icontains=query)
        paginator = Paginator(documents.order_by("-latest_revision_created_at", "-pk"), self.paginate_by)
        context["page_obj"] = paginator.get_page(self.request.GET.get("p"))
        context["query"] = query
        return context


def readable_documents(user):
    """The document pages `may_read_document` lets `user` read, as one queryset of pages."""
    documents = Page.objects.type(*DOCUMENT_MODELS).select_related("content_type")
    if not (user.is_authenticated and user.is_active):
        return documents.none()
    if user.is_superuser or is_registrar(user) or is_support_staff(user):
        return documents
    paths = [path for _pk, _role, path, _level, _province in committee_seats(user)]
    codes = officer_province_codes(user)
    if codes:
        paths += NetworkPage.objects.filter(province_code__in=codes, level=NetworkLevel.PROVINCE).values_list(
            "path", flat=True
        )
    scope = Q(pk__in=[])
    for path_prefix in paths:
        scope |= Q(path__startswith=path_prefix)
    for network in local_office_networks(user):
        # A district or tambon office serves the networks below it; a provincial one (อบจ.) its network only.
        if network.level in LOCAL_OFFICE_AREA_LEVELS:
            scope |= Q(path__startswith=network.path)
        else:
            scope |= Q(path__startswith=network.path, depth=network.depth + 1)
    return documents.filter(scope)
