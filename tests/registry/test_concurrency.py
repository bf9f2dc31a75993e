"""Two registrars approving at the same moment, in two threads with their own database connections.

The pre_save receiver holds each transaction open for a moment after it has read the counter, so
without the row locks both would read the same value and the test would fail (duplicate number or a
second entry for the same network). It must run on PostgreSQL (CI sets DATABASE_URL); SQLite has no
row locks and its in-memory test database cannot be shared by writing threads, so it is skipped there.
"""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.utils import timezone

from core.thaidate import buddhist_year
from pages.models import CharterPage
from registry.models import (
    AnnouncementSequence,
    RegistrationAnnouncement,
    RegistrationNumberSequence,
    RegistryEntry,
)
from registry.services import issue_announcement, register
from tests.factories import add_charter, add_province

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite has no row locks; this test runs on PostgreSQL"
    ),
]


def run_in_threads(*jobs):
    """Start every job at once (a barrier) and return their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as exc:  # reported to the test below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def slow_saves():
    """Keep each registering transaction open a little after it has chosen its number."""

    def pause(sender, instance, **kwargs):
        time.sleep(0.3)

    pre_save.connect(pause, sender=RegistryEntry, dispatch_uid="registry-tests-slow-save")
    yield
    pre_save.disconnect(sender=RegistryEntry, dispatch_uid="registry-tests-slow-save")


def registering(charter_pk, username, with_revision=True):
    def job():
        charter = CharterPage.objects.get(pk=charter_pk)
        user = get_user_model().objects.get(username=username)
        revision = charter.latest_revision if with_revision else None
        return register(charter, user, revision=revision).pk

    return job


def test_two_registrars_at_once_get_two_different_numbers(home, registrar, second_registrar, slow_saves):
    first = add_charter(add_province(home, "57", title="เครือข่ายเชียงราย"), publish=True)
    second = add_charter(add_province(home, "50", title="เครือข่ายเชียงใหม่"), publish=True)
    # The year's counter row exists already (as it does after the first registration of a year),
    # so the only thing keeping the two apart is its row lock.
    RegistrationNumberSequence.objects.create(year=buddhist_year(timezone.localdate()), last_number=41)

    results = run_in_threads(registering(first.pk, "registrar"), registering(second.pk, "registrar2"))

    assert all(isinstance(result, int) for result in results), results
    numbers = sorted(
        n.split("-")[-1] for n in RegistryEntry.objects.values_list("registration_number", flat=True)
    )
    assert numbers == ["0042", "0043"]
    assert RegistrationNumberSequence.objects.get().last_number == 43


def test_one_revision_approved_twice_at_once_is_registered_once(home, registrar, slow_saves):
    charter = add_charter(add_province(home), publish=True)

    results = run_in_threads(registering(charter.pk, "registrar"), registering(charter.pk, "registrar"))

    assert all(isinstance(result, int) for result in results), results
    assert results[0] == results[1]
    assert RegistryEntry.objects.count() == 1
    assert RegistryEntry.objects.get().amendments.count() == 0
    assert RegistrationNumberSequence.objects.get().last_number == 1


def test_two_announcements_at_once_never_list_an_entry_twice(home, registrar, second_registrar):
    for code in ("57", "50"):
        register(add_charter(add_province(home, code, title=f"เครือข่าย {code}"), publish=True), registrar)
    AnnouncementSequence.objects.create(pk=1, last_number=6)

    def issuing(username):
        def job():
            return issue_announcement(get_user_model().objects.get(username=username)).number

        return job

    def pause(sender, instance, **kwargs):
        time.sleep(0.3)

    pre_save.connect(pause, sender=RegistrationAnnouncement, dispatch_uid="registry-tests-slow-announcement")
    try:
        results = run_in_threads(issuing("registrar"), issuing("registrar2"))
    finally:
        pre_save.disconnect(sender=RegistrationAnnouncement, dispatch_uid="registry-tests-slow-announcement")

    # One issues No. 7 with both entries; the other waits, finds nothing new and is refused, and its
    # number is not used up.
    numbers = [r for r in results if isinstance(r, int)]
    refusals = [r for r in results if not isinstance(r, int)]
    assert numbers == [7], results
    assert len(refusals) == 1 and getattr(refusals[0], "code", None) == "nothing_new", results
    announcement = RegistrationAnnouncement.objects.get()
    assert announcement.entries.count() == 2
    assert AnnouncementSequence.objects.get().last_number == 7
