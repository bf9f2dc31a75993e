from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from pages.doctypes import document_type_for

from .api import current_document
from .models import DocumentKind
from .views import GeneratedDocumentViewSet


@hooks.register("register_admin_viewset")
def register_generated_documents():
    return GeneratedDocumentViewSet()


@hooks.register("register_page_header_buttons")
def official_pdf_button(page, user, view_name=None, next_url=None):
    """A link to the official PDF of a charter or minutes page, once a worker has made it."""
    document_type = document_type_for(page.specific_class) if page.specific_class else None
    if document_type is None or document_type.pdf_kind is None:
        return
    document = current_document(page.specific_deferred, DocumentKind(document_type.pdf_kind))
    if document is not None:
        yield Button(_("Official PDF"), url=document.url, icon_name="doc-full", priority=90)
