"""The forms of the duties after registration: a half-year report, a notice of a change, and the
registrar's reason for returning one. The rules themselves live in registry.duties (which the forms
call), so a form and a script refuse the same things with the same Thai messages."""

import datetime

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validation import RequiredTextField
from core.widgets import BuddhistDateField

from . import duties
from .models import MoneySource, NoticeKind

MONEY_MAX_DIGITS = 14


def _money_field(label):
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=MONEY_MAX_DIGITS, decimal_places=2,
        error_messages={"min_value": _("An amount of money cannot be negative.")},
    )


class HalfYearReportForm(forms.Form):
    period_end = forms.TypedChoiceField(
        label=_("Half-year"), coerce=datetime.date.fromisoformat,
        error_messages={"required": _("Choose the half-year."), "invalid_choice": _("Choose the half-year.")},
    )
    activities = RequiredTextField(
        label=_("Activities of the half-year"), rows=6, message=_("Describe the activities of the half-year."),
        help_text=_("What the organization did: welfare given, meetings, savings, work with other agencies."),
    )
    members = forms.IntegerField(
        label=_("Members at the end of the half-year"), min_value=0,
        validators=[MinValueValidator(0)],
        error_messages={
            "required": _("Give the number of members at the end of the half-year."),
            "min_value": _("The number of members cannot be negative."),
        },
    )

    def __init__(self, *args, entry, report=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        filed = {r.period_end for r in entry.half_year_reports.all() if report is None or r.pk != report.pk}
        periods = [end for end in duties.periods_to_report(entry, today) if end not in filed]
        if report is not None and report.period_end not in periods:
            periods.insert(0, report.period_end)
        self.fields["period_end"].choices = [
            (end.isoformat(), duties.period_label(end)) for end in periods
        ]
        self.periods = periods
        for source, label in MoneySource.choices:
            self.fields[f"received_{source}"] = _money_field(_("%(source)s: received (baht)") % {"source": label})
            self.fields[f"spent_{source}"] = _money_field(_("%(source)s: spent (baht)") % {"source": label})

    def money_rows(self):
        """[(source label, received field, spent field)] for the table of the template."""
        return [(label, self[f"received_{source}"], self[f"spent_{source}"]) for source, label in MoneySource.choices]

    def money(self):
        return {
            source: duties.Money(self.cleaned_data.get(f"received_{source}"), self.cleaned_data.get(f"spent_{source}"))
            for source in MoneySource.values
        }

    @staticmethod
    def initial_for(report):
        initial = {
            "period_end": report.period_end.isoformat(), "activities": report.activities, "members": report.members,
        }
        for line in report.money.all():
            initial[f"received_{line.source}"] = line.received
            initial[f"spent_{line.source}"] = line.spent
        return initial


class ChangeNoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What changed"), choices=NoticeKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what changed.")},
    )
    changed_on = BuddhistDateField(
        label=_("Date of the change"), help_text=_("The notice is due within 30 days of this date."),
        error_messages={"required": _("Give the date of the change.")},
    )
    new_name = forms.CharField(
        label=_("New name"), required=False, max_length=500,
        help_text=_("Only for a change of name."),
    )
    details = RequiredTextField(
        label=_("Details"), rows=5, message=_("Describe the change."),
        help_text=_(
            "The new office address, the members who left and joined the committee, or the reason for the "
            "dissolution and what became of the fund; the meeting that decided it."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == NoticeKind.NAME and not (cleaned.get("new_name") or "").strip():
            self.add_error("new_name", _("Give the new name."))
        return cleaned


class ReturnFilingForm(forms.Form):
    reason = RequiredTextField(
        label=_("Reason for returning"), rows=4, message=_("Give the reason for returning it."),
        help_text=_("The committee reads it in its e-mail and on the filing, corrects it and files it again."),
    )
