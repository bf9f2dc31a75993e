from django import forms
from django.utils.translation import gettext_lazy as _

from core.validation import RequiredTextField

from .models import Source
from .services import target_choices

ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("CSV may be in UTF-8 or in Thai Windows encoding (cp874 / TIS-620)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds."""

    def __init__(self, headers, *args, initial_mapping=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for position, header in enumerate(headers):
            self.fields[f"col_{position}"] = forms.ChoiceField(
                label=header, choices=target_choices(), required=False,
                initial=(initial_mapping or {}).get(header, ""),
            )

    def mapping(self):
        return {header: self.cleaned_data.get(f"col_{position}", "") for position, header in enumerate(self.headers)}


class ResolveForm(forms.Form):
    field_name = forms.CharField(widget=forms.HiddenInput)
    choice = forms.CharField(label=_("Value to keep"))
    value = forms.CharField(label=_("Correct value"), required=False, max_length=40)
    reason = RequiredTextField(label=_("Reason"), message=_("Give the reason for this value."), rows=2,
                               max_length=2000)

