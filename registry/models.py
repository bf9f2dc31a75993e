"""The registry of certified community welfare organizations (ทะเบียนองค์กรสวัสดิการชุมชน).

Ordinary models with django-simple-history: every change to an entry is kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RegistryStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REVOKED = "revoked", _("Revoked")


class RegistryEntry(models.Model):
    network = models.OneToOneField(
        "pages.NetworkPage", verbose_name=_("network"), on_delete=models.PROTECT, related_name="registry_entry"
    )
    # Unique and never reused: assigned from RegistrationNumberSequence inside the approving transaction.
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    registered_on = models.DateField(_("registered on"))
    organization_name = models.CharField(_("organization name"), max_length=500)
    conditions = models.TextField(_("conditions"), blank=True)
    charter = models.ForeignKey(
        "pages.CharterPage", verbose_name=_("registered charter"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="registry_entries",
    )
    # The charter text as registered, and its SHA-256, so a printed certificate can be checked later
    # even after amendments.
    registered_text = models.TextField(_("registered text"), blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the registered text"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistryStatus.choices, default=RegistryStatus.REGISTERED, db_index=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
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
        ]


class RegistrationNumberSequence(models.Model):
    """One row per Buddhist year; its counter is incremented under a row lock (select_for_update),
    so numbers are unique, gap-free per year and never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)
