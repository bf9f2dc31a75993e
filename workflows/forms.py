"""The data each workflow action asks for. The same form validates the admin's action dialog and the
edit view's workflow actions (whose extra data Wagtail passes to on_action unvalidated)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validation import RequiredTextField


class OptionalCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class RequiredCommentForm(forms.Form):
    comment = RequiredTextField(label=_("Comment"), message=_("A comment is required at this step."))


class ReasonForm(forms.Form):
    comment = RequiredTextField(
        label=_("Reason"), message=_("Give the reason, so that the drafters know what to change.")
    )


class AdoptionForm(forms.Form):
    # Ids rather than model choice fields: the form has no access to the document's network when the
    # dialog is built, and the edit view passes the cleaned data through JSON. The action checks that
    # both belong to the charter's network and that the meeting had a quorum. The dialog
    # (workflows/adoption_action_modal.html) offers them by name, never as numbers to type.
    minutes = forms.IntegerField(
        label=_("Minutes of the adopting meeting"),
        min_value=1,
        error_messages={"required": _("Choose the minutes of the meeting that adopted the charter.")},
    )
    agenda_item = forms.IntegerField(
        label=_("Agenda item whose resolution adopted the charter"),
        min_value=1,
        error_messages={"required": _("Choose the agenda item whose resolution adopted the charter.")},
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


# The provincial office's check of the file: (field name, label). The form asks for these, the
# decision records them (workflows.models.ProvincialChecklist has a field of each name) and its
# summary lists them.
PROVINCIAL_CHECKLIST = [
    ("has_charter", _("Charter")),
    ("has_adopting_minutes", _("Minutes of the adopting meeting")),
    ("has_committee_list", _("Committee list")),
    ("has_action_plan", _("Action plan")),
    ("has_member_count", _("Member count")),
    ("welfare_work_one_year", _("At least one year of welfare work")),
    ("office_one_year", _("An office in the locality for at least one year")),
]

_ProvincialChecklistBoxes = type(
    "_ProvincialChecklistBoxes",
    (forms.Form,),
    {name: forms.BooleanField(label=label, required=False) for name, label in PROVINCIAL_CHECKLIST},
)


class ProvincialChecklistForm(_ProvincialChecklistBoxes):
    """Forwarding needs a complete file: every box ticked."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    checklist_must_be_complete = True

    def clean(self):
        cleaned = super().clean()
        if self.checklist_must_be_complete:
            missing = [str(label) for name, label in PROVINCIAL_CHECKLIST if not cleaned.get(name)]
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
    comment = RequiredTextField(label=_("Reason"), message=_("Give the reason for this decision."))


class RegistrationForm(forms.Form):
    conditions = forms.CharField(
        label=_("Conditions of the certification (if any)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
