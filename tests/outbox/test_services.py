"""Against a real Redis (our own redis-server, stopped and started at will) and real Celery worker
processes on the PostgreSQL test database. Under CI a missing service fails these tests."""

import datetime

import pytest
import time_machine
from celery import current_app
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from documents import api as documents
from documents.models import DocumentKind, GeneratedDocument
from outbox import api
from outbox.models import OutboxMessage, OutboxStatus
from outbox.relay import relay_pending
from registry import services as registry
from tests.factories import LONG_AGO, add_charter, add_province, make_registrar

from .conftest import sent_subjects
from .services import wait_for

# Rows must be committed for the worker processes to see them; serialized_rollback puts back what the
# migrations created (the home page, the default site) for the tests that run after these.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def all_done():
    return not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists()


def test_a_step_commits_with_the_broker_stopped_and_everything_arrives_once(
    home, django_user_model, broker, start_worker, email_dir
):
    charter = add_charter(add_province(home, publish=True), publish=True)
    registrar = make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    start_worker()
    broker.stop()

    # The registrar's step: the registration and what must follow it, in one transaction.
    with transaction.atomic():
        entry = registry.register(charter, registrar, on_date=datetime.date(2026, 5, 14))
        api.enqueue_email(["chair@example.org"], "ได้รับการรับรองแล้ว", "...", dedupe_key=f"registered:{entry.pk}")
        api.enqueue_email(["officer@example.org"], "แจ้งผลการรับรอง", "...", dedupe_key=f"registered-officer:{entry.pk}")

    # The step committed; its follow-up work waits in the outbox.
    entry.refresh_from_db()
    assert entry.registration_number
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert waiting.count() >= 3
    assert all(m.relay_attempts == 1 for m in waiting)
    assert not GeneratedDocument.objects.filter(kind=DocumentKind.CERTIFICATE).exists()

    broker.start()  # a fresh, empty Redis: what the old one held (Wagtail's index tasks) is gone too
    # Beat's relay, once the backoff has passed and the lost messages are overdue; twice changes nothing.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=True):
        assert relay_pending() >= 3
        relay_pending()
    wait_for(all_done, timeout=40, message="the worker to finish every message")

    assert sorted(sent_subjects(email_dir)) == sorted(["ได้รับการรับรองแล้ว", "แจ้งผลการรับรอง"])
    assert GeneratedDocument.objects.filter(kind=DocumentKind.CERTIFICATE, object_id=entry.pk).count() == 1
    # Every message delivered a second time (a broker redelivery, a second relay): nothing new happens.
    for message in OutboxMessage.objects.all():
        current_app.send_task(message.task_name, args=[message.pk])
    ping = api.enqueue_email(["last@example.org"], "ข้อความสุดท้าย", "...")  # queued behind the duplicates
    wait_for(lambda: OutboxMessage.objects.get(pk=ping.pk).status == OutboxStatus.DONE, timeout=30,
             message="the duplicates to be consumed")
    assert sorted(sent_subjects(email_dir)) == sorted(["ได้รับการรับรองแล้ว", "แจ้งผลการรับรอง", "ข้อความสุดท้าย"])
    assert GeneratedDocument.objects.filter(kind=DocumentKind.CERTIFICATE, object_id=entry.pk).count() == 1


def test_a_worker_killed_in_the_middle_of_a_pdf(home, django_user_model, broker, start_worker):
    charter = add_charter(add_province(home, publish=True), publish=True)
    registrar = make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    entry = registry.register(charter, registrar, on_date=datetime.date(2026, 5, 14))
    message = OutboxMessage.objects.get(task_name="documents.tasks.generate_document", payload__kind="certificate")
    if message.status != OutboxStatus.DISPATCHED:  # relayed on commit already when the broker was up
        relay_pending()

    # This worker renders the PDF, then holds still long enough to be killed before it can save.
    slow = start_worker(DOCUMENTS_TEST_PAUSE_AFTER_RENDER="certificate=60")
    wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).attempts >= 1, timeout=40,
             message="the worker to start the PDF")
    slow.kill()
    assert not GeneratedDocument.objects.filter(kind=DocumentKind.CERTIFICATE).exists()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED

    start_worker()
    # The message was never acknowledged; the relay hands it over again once it is overdue.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=True):
        assert relay_pending() >= 1  # the certificate and whatever was queued behind it
    wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DONE, timeout=40,
             message="the second worker to make the PDF")
    assert GeneratedDocument.objects.filter(kind=DocumentKind.CERTIFICATE, object_id=entry.pk).count() == 1

    # No stray Wagtail document from the killed run: every document belongs to one generated PDF.
    assert get_document_model().objects.count() == GeneratedDocument.objects.count()
    assert documents.current_document(entry, DocumentKind.CERTIFICATE).file.size > 1000
