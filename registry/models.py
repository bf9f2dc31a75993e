"""The registry of certified community welfare organizations (ทะเบียนองค์กรสวัสดิการชุมชน).

Ordinary models with django-simple-history: every change to an entry is kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RegistryStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REVOKED = "revoked", _("Revoked")


class RegistryEntry(models.Model):
    network = models.OneToOneField(
        "networks.NetworkPage", verbose_name=_("network"), on_delete=models.PROTECT, related_name="registry_entry"
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
    status = models.CharField(
        _("status"), max_length=12, choices=RegistryStatus.choices, default=RegistryStatus.REGISTERED, db_index=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrar"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
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
            models.UniqueConstraint(fields=["number_year", "number_serial"], name="unique_registration_serial"),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.organization_name}"

    @property
    def is_revoked(self):
        return self.status == RegistryStatus.REVOKED


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
    conditions = models.TextField(_("conditions"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
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
