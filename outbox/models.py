"""Transactional outbox: what must follow a decision (e-mails, PDFs, reminders) is written in the
same transaction as the decision, then relayed to Celery. A broker outage delays it; nothing is lost."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent to a worker")
    DISPATCHED = "dispatched", _("Handed to a worker")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    task_name = models.CharField(_("task"), max_length=200)
    payload = models.JSONField(_("payload"), default=dict)
    # Same key, same work: a second enqueue with this key is ignored (unique in the database).
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task_name} [{self.get_status_display()}]"
