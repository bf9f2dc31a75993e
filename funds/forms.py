"""The forms of the fund screens: a yearly report, an assessment round, the grades of one group."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.geography import province_name
from core.widgets import BuddhistDateField
from networks.models import NetworkLevel
from people.models import CommitteeMembership, ProvincialOfficerAssignment, SupportStaffAssignment

from .models import MEMBER_FIELDS, MONEY_FIELDS, AssessmentRound, FundYearReport, Grade, MemberCategory

REPORT_FIELDS = ("year", "status", *MEMBER_FIELDS, *MONEY_FIELDS, "note")


def category_field_name(category):
    return f"members_{category}"


class FundYearReportForm(forms.Form):
    """A fund's report for one Buddhist year; the model's own rules are checked when it is saved
    (funds.services.save_year_report) and their messages shown on the fields."""

    def __init__(self, *args, year_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_FIELDS:
            self.fields[name] = FundYearReport._meta.get_field(name).formfield()
        self.fields["year"].required = True
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "placeholder": "2568"})
        self.fields["note"].widget.attrs["rows"] = 3
        self.fields["note"].help_text = _("Where the figures come from, or what changed. Kept in the history.")
        if year_fixed:
            self.fields["year"].disabled = True
        for category in MemberCategory:
            self.fields[category_field_name(category.value)] = forms.IntegerField(
                label=category.label, required=False, min_value=0,
                error_messages={"min_value": _("A number of members cannot be negative.")},
            )

    @property
    def figure_fields(self):
        return [self[name] for name in REPORT_FIELDS if name not in ("year", "note")]

    @property
    def category_fields(self):
        return [self[category_field_name(category.value)] for category in MemberCategory]

    def values(self):
        return {name: self.cleaned_data.get(name) for name in REPORT_FIELDS if name not in ("year", "note")}

    def categories(self):
        return {category.value: self.cleaned_data.get(category_field_name(category.value)) for category in MemberCategory}

    def add_model_errors(self, error):
        """Show a ValidationError of the service on its fields (categories on theirs)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if name in MemberCategory.values:
                name = category_field_name(name)
            self.add_error(name if name in self.fields else None, errors)


class AssessmentRoundForm(forms.ModelForm):
    held_on = BuddhistDateField(label=_("held on"))

    class Meta:
        model = AssessmentRound
        fields = ["province_code", "held_on", "place", "assessors", "assessor_names", "note"]
        widgets = {
            "assessor_names": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "assessors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = [
            (code, f"{province_name(code, english=False)} ({code})") for code in sorted(provinces)
        ]
        # Assessors with an account: support staff, officers and the committees of the provinces' provincial
        # and district networks (a list of every user would run to thousands).
        committees = CommitteeMembership.objects.active().filter(
            network__level__in=(NetworkLevel.PROVINCE, NetworkLevel.DISTRICT), network__province_code__in=provinces
        )
        self.fields["assessors"].queryset = get_user_model().objects.filter(
            Q(pk__in=SupportStaffAssignment.objects.active().values("user_id"))
            | Q(pk__in=ProvincialOfficerAssignment.objects.active().filter(province_code__in=provinces).values("user_id"))
            | Q(pk__in=committees.values("user_id")),
            is_active=True,
        ).order_by("username")
        self.fields["assessors"].required = False


class GradeGroupForm(forms.Form):
    """One grade and one justification for each fund of a district's group."""

    def __init__(self, *args, networks=(), initial_grades=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_grades = initial_grades or {}
        self.networks = list(networks)
        choices = [("", _("Not graded"))] + list(Grade.choices)
        for network in self.networks:
            grade, justification = initial_grades.get(network.pk, ("", ""))
            self.fields[f"grade_{network.pk}"] = forms.ChoiceField(
                label=_("Grade"), choices=choices, required=False, initial=grade,
            )
            self.fields[f"justification_{network.pk}"] = forms.CharField(
                label=_("Justification"), required=False, initial=justification,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(network, self[f"grade_{network.pk}"], self[f"justification_{network.pk}"]) for network in self.networks]

    def clean(self):
        cleaned = super().clean()
        for network in self.networks:
            grade = cleaned.get(f"grade_{network.pk}")
            justification = (cleaned.get(f"justification_{network.pk}") or "").strip()
            if grade and not justification:
                self.add_error(f"justification_{network.pk}", _("Give a short justification for the grade."))
        return cleaned

    def entries(self):
        return [
            (network, self.cleaned_data.get(f"grade_{network.pk}") or "",
             self.cleaned_data.get(f"justification_{network.pk}") or "")
            for network in self.networks
        ]
