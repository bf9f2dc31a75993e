"""Community welfare funds (กองทุนสวัสดิการชุมชน): each fund's record, its yearly status reports and the
quality grades given in assessment rounds.

A fund is a tambon network (or any network that runs a fund): its record holds the current figures,
every change kept by django-simple-history with who, when, why and where the value came from
(funds.services.set_fund_values). Years are Buddhist Era years (พ.ศ.), as the funds write them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import acting_user
from core.geography import district_name, province_name
from core.thaidate import BE_OFFSET, buddhist_year
from people.models import province_choices, validate_province_code

# A plausible Buddhist year for a fund's founding or its figures; a Christian year lies below it.
FIRST_BUDDHIST_YEAR = 2500
LAST_BUDDHIST_YEAR = 2700
MONEY_FIELDS = ("savings_members", "matching_local", "matching_codi", "matching_other")
MEMBER_FIELDS = ("members_now", "members_at_founding", "members_cumulative")


def validate_buddhist_year(value):
    """A year of the Buddhist Era between 2500 and 2700; a Christian Era year is named as such."""
    if value is None:
        return
    if FIRST_BUDDHIST_YEAR - BE_OFFSET <= value <= LAST_BUDDHIST_YEAR - BE_OFFSET:
        raise ValidationError(
            _("%(year)s looks like a Christian Era (ค.ศ.) year. Enter the Buddhist Era year (พ.ศ.): %(be)s."),
            code="christian_era_year",
            params={"year": value, "be": value + BE_OFFSET},
        )
    if not FIRST_BUDDHIST_YEAR <= value <= LAST_BUDDHIST_YEAR:
        raise ValidationError(
            _("Enter a Buddhist Era year (พ.ศ.) between %(first)s and %(last)s."),
            code="implausible_year",
            params={"first": FIRST_BUDDHIST_YEAR, "last": LAST_BUDDHIST_YEAR},
        )


def not_negative(name):
    return models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
                                  name=f"%(class)s_{name}_not_negative")


def money_field(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, message=_("An amount of money cannot be negative."))],
    )


def members_field(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def year_field(label, **kwargs):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[validate_buddhist_year], **kwargs
    )


class FundStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    DORMANT = "dormant", _("Temporarily inactive")
    DISSOLVED = "dissolved", _("Dissolved")


# The fields the three fund databases are compared on (reconciliation), in the order they are shown.
RECONCILED_FIELDS = (
    "status", "founded_year", "members_now", "savings_members", "matching_local", "matching_codi", "matching_other",
)


class FundFigures(models.Model):
    """What a fund reports about itself: status, members and money by source. Shared by the record (the
    figures now) and the yearly report (the figures of one year), and checked by the same rules."""

    status = models.CharField(_("status"), max_length=10, choices=FundStatus.choices, default=FundStatus.OPERATING)
    members_now = members_field(_("members now"))
    members_at_founding = members_field(_("members at founding"))
    members_cumulative = members_field(_("members since founding (cumulative)"))
    savings_members = money_field(_("members' savings (baht)"))
    matching_local = money_field(_("local government matching (baht)"))
    matching_codi = money_field(_("CODI / government matching (baht)"))
    matching_other = money_field(_("other sources (baht)"))

    class Meta:
        abstract = True

    def clean(self):
        # Money below zero is refused by the fields' validators (and the database's constraints).
        super().clean()
        errors = {}
        founding, cumulative, now = self.members_at_founding, self.members_cumulative, self.members_now
        if founding is not None and cumulative is not None and founding > cumulative:
            errors["members_at_founding"] = ValidationError(
                _("Members at founding (%(founding)s) cannot be more than the cumulative members since "
                  "founding (%(cumulative)s)."),
                code="founding_above_cumulative", params={"founding": founding, "cumulative": cumulative},
            )
        if now is not None and cumulative is not None and now > cumulative:
            errors["members_now"] = ValidationError(
                _("Members now (%(now)s) cannot be more than the cumulative members since founding "
                  "(%(cumulative)s), which counts everyone who ever joined."),
                code="now_above_cumulative", params={"now": now, "cumulative": cumulative},
            )
        if errors:
            raise ValidationError(errors)

    @property
    def money_total(self):
        values = [getattr(self, name) for name in MONEY_FIELDS if getattr(self, name) is not None]
        return sum(values) if values else None


class FundRecord(FundFigures):
    network = models.OneToOneField(
        "networks.NetworkPage", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="fund_record"
    )
    founded_year = year_field(_("year founded (B.E.)"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    figures_year = year_field(_("year of the figures (B.E.)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Who, when, why and from where (the reason says "origin: reason"); a reason can be long.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("fund record")
        verbose_name_plural = _("fund records")
        constraints = [not_negative(name) for name in MONEY_FIELDS]

    def __str__(self):
        return str(self.network)

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.founded_on and not self.founded_year:
            self.founded_year = buddhist_year(self.founded_on)
        elif self.founded_on and self.founded_year and buddhist_year(self.founded_on) != self.founded_year:
            errors.setdefault("founded_on", []).append(ValidationError(
                _("The founding date is in %(date_year)s but the year founded says %(year)s; make them agree."),
                code="founding_year_mismatch",
                params={"date_year": buddhist_year(self.founded_on), "year": self.founded_year},
            ))
        this_year = buddhist_year(timezone.localdate())
        for name in ("founded_year", "figures_year"):
            value = getattr(self, name)
            if value is not None and FIRST_BUDDHIST_YEAR <= value <= LAST_BUDDHIST_YEAR and value > this_year:
                errors.setdefault(name, []).append(ValidationError(
                    _("The year %(year)s has not begun yet."), code="future_year", params={"year": value}
                ))
        if self.founded_on and self.founded_on > timezone.localdate():
            errors.setdefault("founded_on", []).append(
                ValidationError(_("The founding date cannot be in the future."), code="future_date")
            )
        if errors:
            raise ValidationError(errors)


class MemberCategory(models.TextChoices):
    ELDERS = "elders", _("Elders")
    CHILDREN = "children", _("Children and youth")
    DISABLED = "disabled", _("People with disabilities")
    INFORMAL_WORKERS = "informal_workers", _("Informal workers")
    OTHER = "other", _("Other members")


class FundYearReport(FundFigures):
    """A fund's status report for one Buddhist year, entered by its committee or, on its behalf, by
    its district or provincial network. Saving the latest year's report updates the fund's record."""

    record = models.ForeignKey(FundRecord, verbose_name=_("fund"), on_delete=models.PROTECT,
                               related_name="year_reports")
    year = models.PositiveSmallIntegerField(_("year (B.E.)"), validators=[validate_buddhist_year])
    note = models.TextField(_("note"), blank=True)
    entered_by = acting_user(_("entered by"))
    # The network whose committee entered the report: the fund's own, or a network above it.
    entered_for = models.ForeignKey(
        "networks.NetworkPage", verbose_name=_("entered by the committee of"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("yearly fund report")
        verbose_name_plural = _("yearly fund reports")
        ordering = ["record", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "year"], name="one_report_per_fund_year",
                violation_error_message=_("This fund already has a report for this year."),
            ),
            *(not_negative(name) for name in MONEY_FIELDS),
        ]

    def __str__(self):
        return f"{self.record} – {self.year}"

    def clean(self):
        super().clean()
        if self.year and FIRST_BUDDHIST_YEAR <= self.year <= LAST_BUDDHIST_YEAR:
            if self.year > buddhist_year(timezone.localdate()):
                raise ValidationError(
                    {"year": _("The year %(year)s has not begun yet.") % {"year": self.year}}, code="future_year"
                )


class FundYearMembers(models.Model):
    """Members of one category in a yearly report (a person may count in more than one category)."""

    report = models.ForeignKey(FundYearReport, on_delete=models.CASCADE, related_name="members_by_category")
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    count = models.PositiveIntegerField(_("members"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("members by category")
        verbose_name_plural = _("members by category")
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="one_count_per_report_category"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.count}"


# --- Quality grading -------------------------------------------------------------------------------


class Grade(models.TextChoices):
    A = "A", _("A – concrete results")
    B = "B", _("B – strong")
    C = "C", _("C – developing")
    D = "D", _("D – needs recovery")


class AssessmentRound(models.Model):
    """A meeting that grades a province's funds, in groups by district (as Samut Prakan's of 24 June 2562)."""

    province_code = models.CharField(_("province"), max_length=2, choices=province_choices,
                                     validators=[validate_province_code], db_index=True)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assessors with an account"), blank=True, related_name="+",
        help_text=_("Support staff and network assessors who may enter grades in this round."),
    )
    assessor_names = models.TextField(
        _("other assessors"), blank=True, help_text=_("Names and positions of assessors without an account, one a line."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = acting_user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{province_name(self.province_code, default=self.province_code)} {self.held_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("Record an assessment round when it has been held.")})


class AssessmentGroup(models.Model):
    """A working group of a round, grading the funds of one district."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="groups")
    district_code = models.CharField(_("district code"), max_length=4)
    name = models.CharField(_("group name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("assessment group")
        verbose_name_plural = _("assessment groups")
        ordering = ["round", "district_code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "district_code"], name="one_group_per_round_district"),
        ]

    def __str__(self):
        return self.name or self.district_display

    @property
    def district_display(self):
        return district_name(self.district_code)

    def clean(self):
        super().clean()
        if self.round_id and self.district_code and not self.district_code.startswith(self.round.province_code):
            raise ValidationError({"district_code": _("This district is not in the round's province.")})


class FundGrade(models.Model):
    round = models.ForeignKey(AssessmentRound, verbose_name=_("assessment round"), on_delete=models.PROTECT,
                              related_name="grades")
    group = models.ForeignKey(AssessmentGroup, verbose_name=_("group"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="grades")
    record = models.ForeignKey(FundRecord, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="grades")
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    justification = models.TextField(_("justification"))
    assessed_by = acting_user(_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund grade")
        verbose_name_plural = _("fund grades")
        ordering = ["-round__held_on", "-round_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "record"], name="one_grade_per_round_fund",
                                    violation_error_message=_("This fund already has a grade in this round.")),
            models.CheckConstraint(condition=Q(grade__in=["A", "B", "C", "D"]), name="grade_is_a_to_d"),
        ]

    def __str__(self):
        return f"{self.record} – {self.grade}"

    def clean(self):
        super().clean()
        if not (self.justification or "").strip():
            raise ValidationError({"justification": _("Give a short justification for the grade.")})
