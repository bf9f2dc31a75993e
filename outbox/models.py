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
    # Runs of the task by a worker (each run commits this count before doing the work).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Failed hand-overs to the broker; the relay waits longer after each one.
    relay_attempts = models.PositiveIntegerField(_("attempts to reach the broker"), default=0)
    next_relay_at = models.DateTimeField(_("next hand-over after"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    started_at = models.DateTimeField(_("last run started"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_relay_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.task_name} [{self.get_status_display()}]"

    def _description(self):
        """What the message does, for staff: the e-mail subject or the task's name."""
        return self.payload.get("subject") or self.payload.get("description") or self.task_name

    _description.short_description = _("what")
    description = property(_description)


class SentReminder(models.Model):
    """One row per reminder ever sent. The unique key (kind, object, period) is what keeps two
    schedulers running by mistake from sending the same reminder twice; rows are never pruned."""

    key = models.CharField(_("reminder key"), max_length=255, unique=True)
    kind = models.CharField(_("kind of reminder"), max_length=64, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class WorkerPing(models.Model):
    """One question of the liveness probe (`manage.py worker_liveness`): a worker that takes the probe's
    task from the queue writes when and who it was. The probe deletes its row when it is done."""

    token = models.UUIDField(_("token"), unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker liveness check")
        verbose_name_plural = _("worker liveness checks")

    def __str__(self):
        return str(self.token)
