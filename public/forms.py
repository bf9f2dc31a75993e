from django import forms
from django.utils.translation import gettext_lazy as _

from core.geography import province_choices
from core.thaidate import BE_OFFSET
from registry.fingerprint import normalized_sha256
from registry.models import RegistryStatus
from registry.services import sha256_of
from thaisearch.api import kind_choices

REGISTRY_SORTS = {
    # key: (label, ordering)
    "-date": (_("Newest registration first"), ["-registered_on", "-registration_number"]),
    "date": (_("Oldest registration first"), ["registered_on", "registration_number"]),
    "number": (_("Registration number"), ["registration_number"]),
    "name": (_("Organization name"), ["organization_name", "registration_number"]),
    "province": (_("Province"), ["network__province_code", "registration_number"]),
}
DEFAULT_REGISTRY_SORT = "-date"


class RegistryFilterForm(forms.Form):
    """The registry's filters. Invalid values are reported and the unfiltered field ignored,
    never guessed."""

    province = forms.ChoiceField(label=_("Province"), required=False)
    year = forms.IntegerField(
        label=_("Year registered (B.E.)"), required=False, min_value=2500, max_value=2700,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "2568"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All"))] + list(RegistryStatus.choices),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[(key, label) for key, (label, _ordering) in REGISTRY_SORTS.items()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + province_choices()

    def filter(self, queryset):
        """The queryset narrowed by the valid filters and ordered by the chosen sort."""
        # cleaned_data keeps the fields that were valid: a bad year does not drop the province.
        data = {}
        if self.is_bound:
            self.is_valid()  # runs the cleaning; the errors are shown next to the fields
            data = self.cleaned_data
        if data.get("province"):
            queryset = queryset.filter(network__province_code=data["province"])
        if data.get("year"):
            queryset = queryset.filter(registered_on__year=data["year"] - BE_OFFSET)
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        sort = data.get("sort") or DEFAULT_REGISTRY_SORT
        return queryset.order_by(*REGISTRY_SORTS[sort][1])

    def active_filters(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not number:
            raise forms.ValidationError(_("Enter a registration number."))
        return number


class TextCheckForm(forms.Form):
    """A printed copy's text, to compare its SHA-256 with the registered versions'."""

    text = forms.CharField(
        label=_("Text of the printed charter"), max_length=500_000, strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "th"}),
        error_messages={"required": _("Paste the text of the charter to check it.")},
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(self.fields["text"].error_messages["required"], code="required")
        return text

    def fingerprint(self):
        """The exact SHA-256 (as printed on certificates) of the pasted text: line endings differ
        between systems and copies; the registered text uses "\n" and has no trailing blank lines."""
        return sha256_of(self._unix_text().strip())

    def exact_fingerprints(self):
        """The SHA-256 of the pasted text with and without its surrounding whitespace (a registered
        text may end in a space)."""
        return {sha256_of(self._unix_text()), self.fingerprint()}

    def _unix_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")

    def normalized_fingerprint(self):
        """The SHA-256 of the pasted text as registry.fingerprint normalizes it."""
        return normalized_sha256(self.cleaned_data["text"])


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + province_choices()
        self.fields["kind"].choices = [("", _("Everything"))] + kind_choices()
