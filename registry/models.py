"""The registry of certified community welfare organizations (ทะเบียนองค์กรสวัสดิการชุมชน).

Ordinary models with django-simple-history: every change to an entry is kept.
"""

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import acting_user
from core.thaidate import format_date_for_language


class RegistryStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REVOKED = "revoked", _("Revoked")
    # The organization told the registrar it dissolved itself (an accepted notice of dissolution).
    DISSOLVED = "dissolved", _("Dissolved")


class RegistryEntry(models.Model):
    # One standing entry per network (the constraint below); a network whose registration was revoked
    # may apply again: its new entry names the revoked one as `previous_registration`.
    network = models.ForeignKey(
        "networks.NetworkPage", verbose_name=_("network"), on_delete=models.PROTECT, related_name="registry_entries"
    )
    previous_registration = models.OneToOneField(
        "self", verbose_name=_("previous registration"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_registration",
    )
    # Unique and never reused: assigned from RegistrationNumberSequence inside the approving transaction.
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    # The two parts of the number that make it unique (the province code is only for the reader):
    # the database refuses a second entry with the same counter value in a year.
    number_year = models.PositiveSmallIntegerField(_("year of the number (B.E.)"), null=True, editable=False)
    number_serial = models.PositiveIntegerField(_("serial of the number"), null=True, editable=False)
    registered_on = models.DateField(_("registered on"))
    organization_name = models.CharField(_("organization name"), max_length=500)
    conditions = models.TextField(_("conditions"), blank=True)
    charter = models.ForeignKey(
        "pages.CharterPage", verbose_name=_("registered charter"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="registry_entries",
    )
    # The charter text as registered, and its SHA-256, so a printed certificate can be checked later
    # even after amendments.
    # The approved revision whose text is registered now (the latest amendment's, after amendments);
    # a repeat registration of the same revision is recognised by it.
    charter_revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("registered charter revision"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    version_label = models.CharField(_("version"), max_length=255, blank=True)
    registered_text = models.TextField(_("registered text"), blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the registered text"), max_length=64, blank=True)
    # The SHA-256 of the text as registry.fingerprint normalizes it: a copy from the print view or the
    # PDF matches it whatever its spaces, digits or page furniture.
    normalized_sha256 = models.CharField(_("SHA-256 of the normalized text"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistryStatus.choices, default=RegistryStatus.REGISTERED, db_index=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = acting_user(_("revoked by"))
    registered_by = acting_user(_("registrar"))
    # Set when the registrar accepts the organization's notice of its dissolution (the notice's date).
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | models.Q(revoked_on__isnull=False),
                name="revoked_entry_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dissolved") | models.Q(dissolved_on__isnull=False),
                name="dissolved_entry_has_date",
            ),
            models.UniqueConstraint(fields=["number_year", "number_serial"], name="unique_registration_serial"),
            models.UniqueConstraint(
                fields=["network"], condition=models.Q(status="registered"), name="one_standing_entry_per_network"
            ),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.organization_name}"

    @property
    def is_revoked(self):
        return self.status == RegistryStatus.REVOKED

    @property
    def is_dissolved(self):
        return self.status == RegistryStatus.DISSOLVED


class RegistryAmendment(models.Model):
    """A registered amendment of the charter: the entry keeps its number, the text moves on."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="amendments")
    sequence = models.PositiveSmallIntegerField(_("amendment number"))
    registered_on = models.DateField(_("registered on"))
    charter_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_label = models.CharField(_("version"), max_length=255, blank=True)
    registered_text = models.TextField(_("registered text"), blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the registered text"), max_length=64, blank=True)
    normalized_sha256 = models.CharField(_("SHA-256 of the normalized text"), max_length=64, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    registered_by = acting_user()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registered amendment")
        verbose_name_plural = _("registered amendments")
        ordering = ["entry", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "sequence"], name="unique_amendment_sequence"),
            # The database itself refuses a second amendment for the same approved revision.
            models.UniqueConstraint(
                fields=["entry", "charter_revision"], name="unique_amendment_revision",
                condition=models.Q(charter_revision__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.entry.registration_number} ({self.sequence})"


class RegistrationNumberSequence(models.Model):
    """One row per Buddhist year; its counter is incremented under a row lock (select_for_update),
    so numbers are unique, gap-free per year and never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration number sequence")


class AnnouncementSequence(models.Model):
    """A single row (pk=1) locked while an announcement takes its number: numbers never repeat."""

    last_number = models.PositiveIntegerField(default=0)


class RegistrationAnnouncement(models.Model):
    """A numbered announcement (ประกาศ ฉบับที่ N) of the organizations certified since the previous one."""

    number = models.PositiveIntegerField(_("announcement number"), unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = acting_user(_("issued by"))
    entries = models.ManyToManyField(
        RegistryEntry, through="AnnouncedEntry", related_name="announcements", verbose_name=_("registrations"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration announcement")
        verbose_name_plural = _("registration announcements")
        ordering = ["-number"]

    def __str__(self):
        return gettext("Announcement No. %(number)s") % {"number": self.number}


class AnnouncedEntry(models.Model):
    """An entry is announced once: the one-to-one column makes the database refuse a second time."""

    announcement = models.ForeignKey(RegistrationAnnouncement, on_delete=models.PROTECT, related_name="items")
    entry = models.OneToOneField(RegistryEntry, on_delete=models.PROTECT, related_name="announced")

    class Meta:
        verbose_name = _("announced registration")
        verbose_name_plural = _("announced registrations")
        ordering = ["announcement", "entry__registration_number"]


# --- Duties after registration: half-year reports and 30-day notices -------------------------------


class FilingStatus(models.TextChoices):
    FILED = "filed", _("Filed, waiting for the registrar")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class MoneySource(models.TextChoices):
    MEMBERS = "members", _("Members' contributions")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CODI = "codi", _("CODI (community organizations development institute)")
    GOVERNMENT = "government", _("Other government agencies")
    DONATIONS = "donations", _("Donations")
    OTHER = "other", _("Other sources")


class Filing(models.Model):
    """What a half-year report and a notice share: who filed it, and the registrar's decision.

    A returned filing is corrected and filed again in place (the history keeps every round)."""

    status = models.CharField(
        _("status"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.FILED, db_index=True
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = acting_user(_("filed by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = acting_user(_("decided by"))
    return_reason = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @property
    def is_accepted(self):
        return self.status == FilingStatus.ACCEPTED

    @property
    def may_be_corrected(self):
        """The committee may change it until the registrar accepts it."""
        return self.status in (FilingStatus.FILED, FilingStatus.RETURNED)


def filing_constraints(*, once_per, name, message, returned_name):
    """The rules of the database for every kind of filing: one filing per organization and `once_per`
    (its half-year, its change), and a returned filing says why."""
    return [
        models.UniqueConstraint(fields=["entry", *once_per], name=name, violation_error_message=message),
        models.CheckConstraint(
            condition=~models.Q(status="returned") | ~models.Q(return_reason=""), name=returned_name
        ),
    ]


class HalfYearReport(Filing):
    """The report of a registered organization for the half-year ending 31 March or 30 September,
    due within 30 days after the end of the half-year."""

    entry = models.ForeignKey(
        RegistryEntry, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="half_year_reports"
    )
    period_end = models.DateField(_("half-year ending"))
    activities = models.TextField(_("activities of the half-year"))
    members = models.PositiveIntegerField(_("members at the end of the half-year"))

    class Meta:
        verbose_name = _("half-year report")
        verbose_name_plural = _("half-year reports")
        ordering = ["-period_end", "entry"]
        constraints = filing_constraints(
            once_per=["period_end"], name="one_half_year_report_per_period",
            message=_("This organization has already filed its report for this half-year."),
            returned_name="returned_report_has_reason",
        )

    def __str__(self):
        return gettext("Half-year report of %(name)s, half-year ending %(date)s") % {
            "name": self.entry.organization_name, "date": format_date_for_language(self.period_end, get_language()),
        }


class HalfYearReportMoney(models.Model):
    """Money received and spent in the half-year from one source."""

    report = models.ForeignKey(HalfYearReport, on_delete=models.CASCADE, related_name="money")
    source = models.CharField(_("source"), max_length=20, choices=MoneySource.choices)
    received = models.DecimalField(_("received (baht)"), max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent (baht)"), max_digits=14, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("money of a half-year report")
        verbose_name_plural = _("money of half-year reports")
        ordering = ["report", "source"]
        constraints = [
            models.UniqueConstraint(fields=["report", "source"], name="one_money_line_per_source"),
            models.CheckConstraint(condition=models.Q(received__gte=0), name="money_received_not_negative"),
            models.CheckConstraint(condition=models.Q(spent__gte=0), name="money_spent_not_negative"),
        ]


class NoticeKind(models.TextChoices):
    NAME = "name", _("Change of name")
    OFFICE = "office", _("Change of office")
    COMMITTEE = "committee", _("Change of committee")
    DISSOLUTION = "dissolution", _("Dissolution")


class ChangeNotice(Filing):
    """A notice to the registrar, due within 30 days of a change of name, office or committee, or of a
    dissolution."""

    entry = models.ForeignKey(
        RegistryEntry, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="change_notices"
    )
    kind = models.CharField(_("what changed"), max_length=12, choices=NoticeKind.choices)
    changed_on = models.DateField(_("date of the change"))
    new_name = models.CharField(_("new name"), max_length=500, blank=True)
    details = models.TextField(_("details"))

    class Meta:
        verbose_name = _("notice of a change")
        verbose_name_plural = _("notices of changes")
        ordering = ["-changed_on", "entry"]
        constraints = [
            *filing_constraints(
                once_per=["kind", "changed_on"], name="one_notice_per_change",
                message=_("A notice of this change on this date has already been filed."),
                returned_name="returned_notice_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="name") | ~models.Q(new_name=""), name="name_notice_has_new_name"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.entry.organization_name}"


class NoticeDue(models.Model):
    """A change the site saw by itself (registry/signals.py): the committee of a registered organization,
    or its office address, changed on `changed_on`, so a notice of that kind is due within 30 days.

    It is fulfilled (computed, registry.duties) by a notice of the same kind dated on or after the
    change that is filed or accepted; a returned one does not fulfil it until it is filed again."""

    entry = models.ForeignKey(
        RegistryEntry, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="notices_due"
    )
    kind = models.CharField(
        _("what changed"), max_length=12,
        choices=[(NoticeKind.OFFICE.value, NoticeKind.OFFICE.label), (NoticeKind.COMMITTEE.value, NoticeKind.COMMITTEE.label)],
    )
    changed_on = models.DateField(_("date of the change"))
    detected_at = models.DateTimeField(_("seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice due")
        verbose_name_plural = _("notices due")
        ordering = ["entry", "changed_on", "kind"]
        constraints = [
            # Several changes of one kind on one day (a chair leaves, another is seated) are one notice.
            models.UniqueConstraint(fields=["entry", "kind", "changed_on"], name="one_notice_due_per_change"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.entry.organization_name} ({self.changed_on.isoformat()})"


class ScheduledRun(models.Model):
    """When a periodic check last ran (registry/scheduler.py, the scheduler of the embedded default):
    claimed with one conditional UPDATE, so two server processes never run the same check twice in
    one interval."""

    name = models.CharField(max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled check")
