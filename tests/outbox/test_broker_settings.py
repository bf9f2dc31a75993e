"""The broker's timings are settings that fit together, and the relay follows them."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from outbox.checks import check_broker_timings
from outbox.models import OutboxMessage, OutboxStatus
from outbox.relay import HandOverBudget, relay_pending


def test_the_shipped_timings_fit_together():
    assert check_broker_timings() == []


def test_timings_that_do_not_fit_are_reported(settings):
    settings.OUTBOX_REDISPATCH_AFTER = 30
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 600}
    settings.OUTBOX_HANDOVER_TIMEOUT_SECONDS = 2
    assert sorted(w.id for w in check_broker_timings()) == ["outbox.W001", "outbox.W002", "outbox.W003"]


@pytest.mark.django_db
def test_the_re_hand_over_follows_the_setting(settings):
    settings.OUTBOX_REDISPATCH_AFTER = 120
    OutboxMessage.objects.create(
        task_name="outbox.tasks.send_email", dedupe_key="lost", status=OutboxStatus.DISPATCHED,
        payload={"to": ["a@example.org"], "subject": "lost", "body": "b"}, dispatched_at=timezone.now(),
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=100)):
        assert relay_pending() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=130)):
        assert relay_pending() == 1
    assert [m.subject for m in mail.outbox] == ["lost"]


def test_an_attempt_starts_only_if_it_fits_in_what_is_left():
    budget = HandOverBudget(0.5)
    assert budget.allows(0.2)
    budget.spent = 0.25
    assert budget.allows(0.2)
    budget.spent = 0.35
    assert not budget.allows(0.2)
    budget.spent = 0.0
    assert not budget.allows(0.2), "once given up, the request tries no more"
