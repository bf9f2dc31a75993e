"""The data each workflow action asks for. The same form validates the admin's action dialog and the
edit view's workflow actions (whose extra data Wagtail passes to on_action unvalidated)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OptionalCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("A comment is required at this step.")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("A comment is required at this step."), code="required")
        return comment


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason, so that the drafters know what to change.")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(
                _("Give the reason, so that the drafters know what to change."), code="required"
            )
        return comment


class AdoptionForm(forms.Form):
    # Ids rather than model choice fields: the form has no access to the document's network when the
    # dialog is built, and the edit view passes the cleaned data through JSON. The action checks that
    # both belong to the charter's network and that the meeting had a quorum.
    minutes = forms.IntegerField(
        label=_("Minutes of the adopting meeting (page id)"),
        min_value=1,
        error_messages={"required": _("Choose the minutes of the meeting that adopted the charter.")},
    )
    agenda_item = forms.IntegerField(
        label=_("Agenda item whose resolution adopted the charter (id)"),
        min_value=1,
        error_messages={"required": _("Choose the agenda item whose resolution adopted the charter.")},
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ProvincialChecklistForm(forms.Form):
    """Forwarding needs a complete file: every box ticked."""

    has_charter = forms.BooleanField(label=_("Charter"), required=False)
    has_adopting_minutes = forms.BooleanField(label=_("Minutes of the adopting meeting"), required=False)
    has_committee_list = forms.BooleanField(label=_("Committee list"), required=False)
    has_action_plan = forms.BooleanField(label=_("Action plan"), required=False)
    has_member_count = forms.BooleanField(label=_("Member count"), required=False)
    welfare_work_one_year = forms.BooleanField(label=_("At least one year of welfare work"), required=False)
    office_one_year = forms.BooleanField(
        label=_("An office in the locality for at least one year"), required=False
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    checklist_must_be_complete = True

    @classmethod
    def checklist_names(cls):
        return [name for name, field in cls.base_fields.items() if isinstance(field, forms.BooleanField)]

    def clean(self):
        cleaned = super().clean()
        if self.checklist_must_be_complete:
            missing = [
                str(self.fields[name].label) for name in self.checklist_names() if not cleaned.get(name)
            ]
            if missing:
                raise forms.ValidationError(
                    _("The file is incomplete (%(missing)s): request changes instead of forwarding it.")
                    % {"missing": ", ".join(missing)},
                    code="incomplete_file",
                )
        return cleaned


class ProvincialChecklistReasonForm(ProvincialChecklistForm):
    """Requesting changes or rejecting: the checklist as found, and a reason."""

    checklist_must_be_complete = False
    comment = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for this decision.")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Give the reason for this decision."), code="required")
        return comment


class RegistrationForm(forms.Form):
    conditions = forms.CharField(
        label=_("Conditions of the certification (if any)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
