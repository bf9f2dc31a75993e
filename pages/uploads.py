"""The form of every document uploaded in the admin (WAGTAILDOCS_DOCUMENT_FORM_BASE): meeting attachments
and anything else a committee files. Kept apart from pages/forms.py, which the page models import while
the app registry is still loading (Wagtail's document forms need the models loaded)."""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from core.input_checks import WRONG_FILE_CONTENT, upload_content_matches_name


class UploadedDocumentForm(BaseDocumentForm):
    """Wagtail checks the name's extension (WAGTAILDOCS_EXTENSIONS) and the size
    (WAGTAILDOCS_MAX_UPLOAD_SIZE); this checks that the content is what the name says: an ``.exe``
    renamed ``.pdf`` is refused."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and not upload_content_matches_name(upload):
            raise forms.ValidationError(
                WRONG_FILE_CONTENT,
                code="wrong_content",
                params={"name": upload.name, "extension": upload.name.rsplit(".", 1)[-1].upper()},
            )
        return upload
