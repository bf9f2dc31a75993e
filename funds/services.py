"""Every write to a fund's figures and grades goes through here: validated, in one transaction, with the
history saying who, when, why and where the value came from."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from core.history import save_with_history
from networks.models import NetworkLevel, NetworkPage

from .models import (
    MEMBER_FIELDS,
    MONEY_FIELDS,
    FundGrade,
    FundRecord,
    FundYearMembers,
    FundYearReport,
    MemberCategory,
)

# What set_fund_values may change: the figures, the founding and the year of the figures.
SETTABLE_FIELDS = ("status", "founded_year", "founded_on", "figures_year", *MEMBER_FIELDS, *MONEY_FIELDS)
REPORT_FIGURES = ("status", *MEMBER_FIELDS, *MONEY_FIELDS)


def fund_networks():
    """The networks that are funds: every tambon network, and any other network with a fund record."""
    return NetworkPage.objects.filter(Q(level=NetworkLevel.TAMBON) | Q(fund_record__isnull=False))


def record_for(network):
    """The fund record of `network`, made (empty) when it has none yet."""
    with transaction.atomic():
        record, _created = FundRecord.objects.get_or_create(network=network)
    return record


def set_fund_values(network, values, *, user, reason, origin):
    """Set fields of the fund record of `network` from `values` ({field: value}) and save it, the
    history recording `user` and "origin: reason". Raises ValidationError (Thai messages) and saves
    nothing when a value is refused."""
    unknown = sorted(set(values) - set(SETTABLE_FIELDS))
    if unknown:
        raise ValidationError(_("These are not figures of a fund: %(fields)s.") % {"fields": ", ".join(unknown)})
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the change."), code="reason_required")
    with transaction.atomic():
        record = record_for(network)
        record = FundRecord.objects.select_for_update().get(pk=record.pk)
        for name, value in values.items():
            setattr(record, name, value)
        record.full_clean()
        save_with_history(record, user=user, reason=f"{origin}: {reason.strip()}")
    return record


# --- Yearly reports --------------------------------------------------------------------------------


def yearly_report_origin(year):
    return f"yearly report {year}"


def save_year_report(network, year, values, categories, *, user, entered_for=None, note=""):
    """Write the report of `network` for Buddhist `year`: its figures (`values`, REPORT_FIGURES) and its
    members by category (`categories`, {category: count or None}). When no later report exists, the
    fund's record takes the report's figures (set_fund_values, origin "yearly report 25xx").
    Returns the report; raises ValidationError and saves nothing when a value is refused."""
    with transaction.atomic():
        record = record_for(network)
        report = FundYearReport.objects.filter(record=record, year=year).first()
        is_new = report is None
        if is_new:
            report = FundYearReport(record=record, year=year)
        for name in REPORT_FIGURES:
            if name in values:
                setattr(report, name, values[name])
        report.note = note
        report.entered_by = user
        report.entered_for = entered_for
        report.full_clean(validate_unique=is_new)
        _validate_categories(report, categories)
        save_with_history(report, user=user, reason=yearly_report_origin(year))
        _save_categories(report, categories, user)
        latest = FundYearReport.objects.filter(record=record).order_by("-year").values_list("year", flat=True).first()
        if latest == year:
            set_fund_values(
                network,
                {**{name: getattr(report, name) for name in REPORT_FIGURES}, "figures_year": year},
                user=user,
                reason=note.strip() or _("figures of the year's report"),
                origin=yearly_report_origin(year),
            )
    return report


def _validate_categories(report, categories):
    errors = {}
    for category, count in categories.items():
        if category not in MemberCategory.values:
            errors[category] = _("Unknown category of members.")
        elif count is not None and count < 0:
            errors[category] = _("A number of members cannot be negative.")
        elif count is not None and report.members_now is not None and count > report.members_now:
            errors[category] = _(
                "%(category)s (%(count)s) cannot be more than the members now (%(now)s)."
            ) % {"category": MemberCategory(category).label, "count": count, "now": report.members_now}
    if errors:
        raise ValidationError(errors)


def _save_categories(report, categories, user):
    existing = {row.category: row for row in report.members_by_category.all()}
    for category, count in categories.items():
        row = existing.get(category)
        if count is None:
            if row is not None:
                row._history_user = user
                row.delete()
        elif row is None or row.count != count:
            row = row or FundYearMembers(report=report, category=category)
            row.count = count
            row._history_user = user
            row.save()


# --- Grades ----------------------------------------------------------------------------------------


def latest_grade_subquery(record_ref="fund_record"):
    """The grade of the latest round for the fund record at OuterRef(`record_ref`) (a fund's current grade)."""
    return Subquery(
        FundGrade.objects.filter(record_id=OuterRef(record_ref))
        .order_by("-round__held_on", "-round_id")
        .values("grade")[:1]
    )


def current_grade(record):
    """The fund's grade in its latest assessment round, or None."""
    if record is None or record.pk is None:
        return None
    return (
        FundGrade.objects.filter(record=record).order_by("-round__held_on", "-round_id")
        .values_list("grade", flat=True).first()
    )


def grade_funds(assessment_round, entries, *, user, group=None):
    """Write the grades of one screen of a round: `entries` is [(network, grade or "", justification)].
    An empty grade removes the fund's grade of this round. All or nothing: a refused entry raises
    ValidationError {network id: message} and nothing is saved. Returns the number of changes."""
    errors = {}
    changes = 0
    with transaction.atomic():
        for network, grade, justification in entries:
            record = record_for(network)
            existing = FundGrade.objects.filter(round=assessment_round, record=record).first()
            if not grade:
                if existing is not None:
                    existing._history_user = user
                    existing.delete()
                    changes += 1
                continue
            fund_grade = existing or FundGrade(round=assessment_round, record=record)
            if existing and existing.grade == grade and existing.justification == justification.strip():
                continue
            fund_grade.grade = grade
            fund_grade.justification = justification.strip()
            fund_grade.group = group
            fund_grade.assessed_by = user
            try:
                fund_grade.full_clean(validate_unique=existing is None)
            except ValidationError as error:
                errors[network.pk] = error.messages
                continue
            fund_grade._history_user = user
            fund_grade.save()
            changes += 1
        if errors:
            raise ValidationError(errors)  # leaving the atomic block by an error saves none of the grades
    return changes
