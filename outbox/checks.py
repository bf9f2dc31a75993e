"""The broker's visibility timeout, the re-hand-over and the hand-over bounds must fit together."""

from django.conf import settings
from django.core.checks import Warning

from .tasks import TASK_MAX_RETRIES, task_backoff


def check_broker_timings(app_configs=None, **kwargs):
    problems = []
    redispatch = settings.OUTBOX_REDISPATCH_AFTER
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 60 * 60)
    longest_retry = task_backoff(TASK_MAX_RETRIES - 1)
    if redispatch < 60:
        problems.append(Warning(
            f"OUTBOX_REDISPATCH_AFTER is {redispatch} s: work still queued or running is handed over again.",
            hint="Use at least a few minutes (default 900).", id="outbox.W001",
        ))
    if visibility < max(redispatch, longest_retry):
        problems.append(Warning(
            f"The broker's visibility_timeout ({visibility} s) is shorter than the re-hand-over "
            f"({redispatch} s) or the longest retry countdown ({longest_retry} s): Redis would give "
            "messages a worker still holds to another worker.",
            hint="Raise CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'].", id="outbox.W002",
        ))
    timeout, budget = settings.OUTBOX_HANDOVER_TIMEOUT_SECONDS, settings.OUTBOX_HANDOVER_BUDGET_SECONDS
    if not 0 < timeout <= budget:
        problems.append(Warning(
            f"OUTBOX_HANDOVER_TIMEOUT_SECONDS ({timeout}) must be positive and at most "
            f"OUTBOX_HANDOVER_BUDGET_SECONDS ({budget}), or no hand-over starts after a commit.",
            id="outbox.W003",
        ))
    return problems
