"""Charters from and to Word in the admin and on the public site (pages.wordio does the reading and
writing).

Import: upload → preview (chapters, clauses, and everything the reader could not place) → confirm, which
saves a new draft revision of the charter, never publishes. Only a user who may edit the charter, and
for whom it is not locked or on its way through the approval road, gets past the first line of each
view. The preview carries what was read in a signed field, bound to the user, the charter and its latest
revision: the confirmation saves exactly what was shown, or nothing when the charter changed meanwhile.

Export: any revision of a charter to whoever may read the document in the admin; the published version
to the public.
"""

import re

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Revision

from core.admin_views import refused
from core.visibility import visible
from people.permissions import may_read_document

from . import wordio
from .models import CharterPage

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAYLOAD_SALT = "pages.word_import"
# A preview older than this is read again from the file (the signed payload expires).
PAYLOAD_MAX_AGE = 2 * 60 * 60
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def import_refusal(user, charter):
    """Why `user` may not import into `charter` now, or None when they may."""
    if not charter.permissions_for_user(user).can_edit():
        return _("You may not edit this charter.")
    lock = charter.get_lock()
    if lock is not None and lock.for_user(user):
        return _("The charter is locked; it cannot be changed now.")
    if charter.workflow_in_progress:
        return _("The charter is waiting for a decision on its approval road; import after it comes back to the committee.")
    return None


def may_export(user, charter):
    return may_read_document(user, charter) or charter.permissions_for_user(user).can_edit()


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Charter file (Word .docx or text .txt)"),
        help_text=gettext_lazy(
            "Chapters start with “หมวด ๑ …” or “หมวดที่ 1 …”, clauses with “ข้อ ๑ …” or “ข้อ 1.”; "
            "text before the first chapter is the preamble. At most 5 MB; text files in UTF-8 or Thai Windows (cp874)."
        ),
    )

    def __init__(self, *args, skip_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.skip_lines = skip_lines
        self.parsed = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size first: a file over the limit is not read into memory at all.
        if upload.size > wordio.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        try:
            self.parsed = wordio.read_upload(upload.name, upload.read(), skip_lines=self.skip_lines)
        except wordio.WordFileError as error:
            raise ValidationError(str(error)) from error
        return upload


class WordConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)


def _payload(user, charter, parsed):
    return signing.dumps(
        {
            "user": user.pk,
            "page": charter.pk,
            "revision": charter.latest_revision_id,
            "preamble": parsed.preamble_text(),
            "chapters": parsed.chapters_data(),
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )


class CharterWordImportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "pages/charter_word_import.html"
    header_icon = "upload"
    page_title = gettext_lazy("Import from Word")

    def dispatch(self, request, *args, **kwargs):
        self.charter = get_object_or_404(CharterPage, pk=kwargs["page_id"])
        refusal = import_refusal(request.user, self.charter)
        if refusal is not None:
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.charter.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.charter.pk]), "label": self.charter.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    def skip_lines(self):
        draft = self.charter.get_latest_revision_as_object()
        return (draft.title, draft.version_label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", WordUploadForm())
        context["charter"] = self.charter
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.charter.pk])
        context["max_megabytes"] = wordio.MAX_UPLOAD_BYTES // (1024 * 1024)
        return context

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request)
        form = WordUploadForm(request.POST, request.FILES, skip_lines=self.skip_lines())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        parsed = form.parsed
        return self.render_to_response(self.get_context_data(
            parsed=parsed,
            numbered=parsed.numbered(),
            source_format=wordio.SOURCE_FORMATS[parsed.source_format],
            file_name=form.cleaned_data["file"].name,
            confirm_form=None if parsed.blocking else WordConfirmForm(initial={"payload": _payload(request.user, self.charter, parsed)}),
        ))

    def confirm(self, request):
        form = WordConfirmForm(request.POST)
        data = None
        if form.is_valid():
            try:
                data = signing.loads(form.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
            except signing.BadSignature:
                data = None
        if not data or data.get("user") != request.user.pk or data.get("page") != self.charter.pk:
            return self._again(request, _("The preview has expired or was altered; upload the file again."))
        with transaction.atomic():
            # The charter's row is locked so that two confirmations (or an edit) cannot interleave.
            charter = CharterPage.objects.select_for_update().get(pk=self.charter.pk)
            if charter.latest_revision_id != data.get("revision"):
                return self._again(request, _("The charter was changed after the preview; upload the file again to see the changes on top of it."))
            draft = charter.get_latest_revision_as_object()
            draft.chapters = [("chapter", {"title": c["title"], "clauses": c["clauses"]}) for c in data["chapters"]]
            if data["preamble"]:
                draft.preamble = data["preamble"]
            try:
                draft.save_revision(user=request.user, log_action=True)
            except ValidationError as error:
                transaction.set_rollback(True)
                return self._again(request, _("The imported charter could not be saved: %(errors)s")
                                   % {"errors": "; ".join(error.messages)})
        messages.success(request, _("The charter was imported from the file and saved as a draft. Check it, then submit it when ready."))
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[self.charter.pk]))

    def _again(self, request, message):
        messages.error(request, message)
        return HttpResponseRedirect(reverse("pages_charter_word_import", args=[self.charter.pk]))


# --- Export -----------------------------------------------------------------------------------------


def _file_name(charter, suffix=""):
    name = _UNSAFE_IN_FILE_NAME.sub("-", f"{charter.title} {charter.version_label}".strip())[:120].strip() or "charter"
    return f"{name}{suffix}.docx"


def _docx_response(charter, suffix=""):
    response = HttpResponse(wordio.charter_docx(charter), content_type=DOCX_CONTENT_TYPE)
    # A Thai name goes as filename*=utf-8'' (RFC 6266), as Django's FileResponse sends it.
    response["Content-Disposition"] = content_disposition_header(True, _file_name(charter, suffix))
    return response


def charter_word_export(request, page_id, revision_id=None):
    """A version of a charter as .docx, for whoever may read it in the admin: the latest draft, or the
    revision asked for."""
    charter = get_object_or_404(CharterPage, pk=page_id)
    if not may_export(request.user, charter):
        return refused(request)
    if revision_id is None:
        version = charter.get_latest_revision_as_object()
        suffix = ""
    else:
        revision = get_object_or_404(Revision.objects.for_instance(charter), pk=revision_id)
        version = revision.as_object()
        suffix = f" ({revision.pk})"
    return _docx_response(version, suffix)


def public_charter_word(request, page_id):
    """The published version of a charter the public may see, as .docx."""
    charter = visible(CharterPage.objects.filter(pk=page_id), request).first()
    if charter is None:
        raise Http404
    return _docx_response(charter)
