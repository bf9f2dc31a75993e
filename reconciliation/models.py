"""The three fund databases of a province as imported, row by row, and the decisions that reconcile
them. Nothing a source said is lost: every import keeps its file and every row its raw cells; a newer
import of the same source supersedes the older one without deleting it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import acting_user
from networks.models import NetworkPage


class Source(models.TextChoices):
    PROGRAM = "program", _("Program system")
    MATCHING = "matching", _("Funds approved for matching contributions")
    SURVEY = "survey", _("District networks' survey of operating status")


SOURCES = tuple(Source.values)

# Columns of a source that say which fund a row is about; the compared fields are funds.RECONCILED_FIELDS.
IDENTITY_FIELDS = ("tambon_code", "fund_name", "district")


class PendingUpload(models.Model):
    """An uploaded file waiting for its column mapping and preview to be confirmed. Nothing of it is an
    import yet; confirming turns it into a SourceImport and deletes it."""

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    province_code = models.CharField(_("province code"), max_length=2)
    file = models.FileField(_("file"), upload_to="reconciliation/pending/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    column_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return self.original_name


class SourceImportQuerySet(models.QuerySet):
    def current(self, province_code):
        """The latest import of each source of the province (the ones the comparison reads)."""
        return self.filter(province_code=province_code, superseded_by__isnull=True)


class SourceImport(models.Model):
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    file = models.FileField(_("file as uploaded"), upload_to="reconciliation/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_format = models.CharField(_("format"), max_length=4)
    encoding = models.CharField(_("text encoding"), max_length=12, blank=True)
    column_mapping = models.JSONField(_("column mapping"), default=dict)
    headers = models.JSONField(_("columns of the file"), default=list)
    refused_rows = models.JSONField(_("rows refused"), default=list, blank=True)
    imported_by = acting_user(_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # The import of the same source and province this one replaced; the newest has no successor.
    previous = models.OneToOneField(
        "self", verbose_name=_("superseded import"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    objects = SourceImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("source import")
        verbose_name_plural = _("source imports")
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["province_code", "source"])]

    def __str__(self):
        return f"{self.get_source_display()} — {self.original_name}"


class RowStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    AMBIGUOUS = "ambiguous", _("Ambiguous: waiting for a person")
    UNMATCHED = "unmatched", _("Unmatched")


class MatchMethod(models.TextChoices):
    CODE = "code", _("Tambon code")
    NAME = "name", _("Same name")
    FUZZY = "fuzzy", _("Similar name")
    PERSON = "person", _("Chosen by a person")


class SourceRow(models.Model):
    source_import = models.ForeignKey(SourceImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row in the file"))
    raw = models.JSONField(_("the row as the source wrote it"), default=dict)
    tambon_code = models.CharField(_("tambon code"), max_length=6, blank=True)
    fund_name = models.CharField(_("fund name"), max_length=255, blank=True)
    district_name = models.CharField(_("district"), max_length=255, blank=True)
    # The district the row belongs to (its fund's, or the one it names), for the per-district counts.
    district_code = models.CharField(_("district code"), max_length=4, blank=True, db_index=True)
    # {field of funds.RECONCILED_FIELDS: value as text}; a field the source leaves empty is absent.
    values = models.JSONField(_("values read"), default=dict, blank=True)
    notes = models.JSONField(_("notes on reading"), default=list, blank=True)
    status = models.CharField(_("match"), max_length=10, choices=RowStatus.choices, db_index=True)
    network = models.ForeignKey(
        NetworkPage, verbose_name=_("fund"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reconciliation_rows",
    )
    match_method = models.CharField(_("matched by"), max_length=10, choices=MatchMethod.choices, blank=True)
    score = models.FloatField(_("similarity"), null=True, blank=True)
    candidates = models.JSONField(_("candidates"), default=list, blank=True)  # [{"id", "title", "score"}]
    chosen_by = acting_user(_("chosen by"))
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("source row")
        verbose_name_plural = _("source rows")
        ordering = ["source_import", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["source_import", "row_number"], name="reconciliation_row_once"),
            # One row of an import per fund: a second row naming the same fund waits for a person.
            models.UniqueConstraint(
                fields=["source_import", "network"], condition=models.Q(status="matched"),
                name="reconciliation_one_row_per_fund",
            ),
            models.CheckConstraint(
                condition=models.Q(status="matched", network__isnull=False) | ~models.Q(status="matched"),
                name="reconciliation_matched_has_fund",
            ),
        ]

    def __str__(self):
        return f"{self.source_import} #{self.row_number}"


class Resolution(models.Model):
    """A person's decision on one field of one fund where the sources disagreed: the value, where it
    came from (a source's import, or entered by hand) and why. The latest for a field counts."""

    MANUAL = "manual"

    network = models.ForeignKey(
        NetworkPage, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="reconciliation_resolutions"
    )
    field_name = models.CharField(_("field"), max_length=40)
    value = models.CharField(_("value"), max_length=40)
    chosen_source = models.CharField(
        _("value taken from"), max_length=10, choices=[*Source.choices, (MANUAL, _("Entered by hand"))]
    )
    source_import = models.ForeignKey(
        SourceImport, verbose_name=_("import"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    resolved_by = acting_user(_("resolved by"), blank=False)
    resolved_at = models.DateTimeField(_("resolved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-resolved_at", "-pk"]
        indexes = [models.Index(fields=["network", "field_name"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="reconciliation_resolution_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.network} · {self.field_name} = {self.value}"
