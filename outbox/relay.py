"""Hands outbox messages to Celery.

When the broker is down a message stays pending, its relay attempts are counted and the next try is
pushed back (30 s, 1 min, 2 min … up to 30 min); the periodic relay (beat every 30 s, or
`manage.py relay_outbox`) picks it up again. A message handed over but never finished (the broker lost
it, a worker died) is handed over again after OUTBOX_REDISPATCH_AFTER: the tasks are idempotent, so a
second delivery does nothing twice.

The hand-over right after a commit never holds a request long: each attempt uses a connection whose
every socket operation gives up after OUTBOX_HANDOVER_TIMEOUT_SECONDS, and within one request
(`HandOverBudgetMiddleware`) all hand-overs together stay under OUTBOX_HANDOVER_BUDGET_SECONDS. After
one failed attempt, or when the budget left is shorter than one attempt, the request's other messages
are left pending for the periodic relay. A Redis that accepts connections and never answers
(`kill -STOP`) therefore costs a request one attempt, not ten seconds a message.
"""

import contextlib
import contextvars
import datetime
import logging
import time

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu import pools

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

RELAY_BACKOFF_BASE = datetime.timedelta(seconds=30)
RELAY_BACKOFF_MAX = datetime.timedelta(minutes=30)


def relay_backoff(relay_attempts: int) -> datetime.timedelta:
    return min(RELAY_BACKOFF_BASE * (2 ** min(max(relay_attempts - 1, 0), 16)), RELAY_BACKOFF_MAX)


def redispatch_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "OUTBOX_REDISPATCH_AFTER", 15 * 60))


def handover_timeout() -> float:
    """Seconds one hand-over after commit may wait on any socket operation of the broker."""
    return float(getattr(settings, "OUTBOX_HANDOVER_TIMEOUT_SECONDS", 0.2))


def handover_budget_seconds() -> float:
    """Seconds all the hand-overs of one request may take together."""
    return float(getattr(settings, "OUTBOX_HANDOVER_BUDGET_SECONDS", 0.5))


class HandOverBudget:
    """The time the hand-overs of one request have taken together (not the request's own work), and
    whether they gave up."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.spent = 0.0
        self.given_up = False

    def allows(self, attempt_seconds) -> bool:
        # An attempt starts only if it fits whole: the request's total then stays within the budget.
        if not self.given_up and self.spent + attempt_seconds > self.seconds:
            self.given_up = True
        return not self.given_up


_current_budget = contextvars.ContextVar("outbox_handover_budget", default=None)


@contextlib.contextmanager
def handover_budget(seconds=None):
    """Bound the hand-overs after commit made inside the block (a request, a command) together."""
    token = _current_budget.set(HandOverBudget(handover_budget_seconds() if seconds is None else seconds))
    try:
        yield _current_budget.get()
    finally:
        _current_budget.reset(token)


def _quick_producer_pool():
    """Producers whose connection gives up fast (connect, read, write, no reconnection), for the
    hand-overs after commit; workers, beat and the periodic relay keep the app's patient connection."""
    timeout = handover_timeout()
    connection = current_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_retries": 0,
            "retry_on_timeout": False,
        },
    )
    # kombu keeps one pool per distinct connection (URL and options), per process.
    return pools.producers[connection]


def is_eager() -> bool:
    return bool(current_app.conf.task_always_eager)


SENT, SKIPPED, BROKER_DOWN = "sent", "skipped", "broker down"


def registered_task(name):
    """The task object, importing every app's tasks module first if it is not known yet (outside a
    worker nothing has imported them)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def relay_message(message_id, *, now=None) -> bool:
    """Hand one pending message to Celery. True when handed over (or run, in eager mode)."""
    return _hand_over(message_id, now or timezone.now()) == SENT


def hand_over_after_commit(message_id) -> bool:
    """Hand a message over right after the commit that created it, without holding the caller: one
    quick attempt, skipped once the request's budget is spent or an earlier hand-over of the same
    request failed. A skipped message stays pending for the periodic relay. True when handed over."""
    if is_eager():
        # In-process (make run, tests): the work itself runs now; no broker to wait for.
        return _hand_over(message_id, timezone.now()) == SENT
    budget = _current_budget.get()
    if budget is not None and not budget.allows(handover_timeout()):
        logger.info("Outbox message %s left for the relay: this request's hand-over time is spent", message_id)
        return False
    started = time.monotonic()
    try:
        with _quick_producer_pool().acquire(block=True, timeout=handover_timeout()) as producer:
            outcome = _hand_over(message_id, timezone.now(), producer=producer)
    except Exception as exc:  # no producer in time (connection refused or silent, pool exhausted)
        message = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).first()
        if message is not None:
            _record_broker_failure(message, exc, timezone.now())
        outcome = BROKER_DOWN
    seconds = time.monotonic() - started
    if budget is not None:
        budget.spent += seconds
        if outcome == BROKER_DOWN:
            budget.given_up = True
    logger.debug("Outbox hand-over of %s: %s in %.3f s", message_id, outcome, seconds)
    return outcome == SENT


def _hand_over(message_id, now, producer=None) -> str:
    eager = is_eager()
    with transaction.atomic():
        # skip_locked: two relays (two beats by mistake) never hand the same row over at once.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return SKIPPED
        if not eager:
            try:
                current_app.send_task(message.task_name, args=[message.pk], producer=producer)
            except Exception as exc:  # the broker is unreachable: keep it pending, try later
                _record_broker_failure(message, exc, now)
                return BROKER_DOWN
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.DISPATCHED, dispatched_at=now, next_relay_at=None
        )
    if eager:
        # In-process (make run, tests): run it now, outside the relay's lock. The task records its
        # own failure; an error never reaches the request that has already committed.
        registered_task(message.task_name).apply(args=[message.pk], throw=False)
    return SENT


def _record_broker_failure(message, exc, now):
    attempts = message.relay_attempts + 1
    logger.warning("Outbox relay of message %s failed (attempt %s): %s", message.pk, attempts, exc)
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
        relay_attempts=attempts,
        next_relay_at=now + relay_backoff(attempts),
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )


def due_messages(now=None):
    now = now or timezone.now()
    stale = now - redispatch_after()
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_relay_at__isnull=True)
        | Q(status=OutboxStatus.PENDING, next_relay_at__lte=now)
        | Q(status=OutboxStatus.DISPATCHED, dispatched_at__lte=stale)
    )


def relay_pending(limit=500, *, now=None) -> int:
    """Hand over every message that is due; returns how many were handed over."""
    now = now or timezone.now()
    stale = now - redispatch_after()
    # Handed over long ago and never finished: the broker lost it or the worker died. Back to pending.
    OutboxMessage.objects.filter(status=OutboxStatus.DISPATCHED, dispatched_at__lte=stale).update(
        status=OutboxStatus.PENDING, next_relay_at=None
    )
    ids = list(
        due_messages(now).filter(status=OutboxStatus.PENDING).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    relayed = 0
    for pk in ids:
        outcome = _hand_over(pk, now)
        if outcome == SENT:
            relayed += 1
        elif outcome == BROKER_DOWN:
            break  # the rest would fail the same way; they keep their place for the next run
    return relayed
