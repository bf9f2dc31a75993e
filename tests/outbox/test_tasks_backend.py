"""Wagtail's own background tasks (django-tasks) through our backend."""

from django_tasks import task, task_backends

from outbox.models import OutboxMessage
from outbox.tasks import run_django_task
from outbox.tasks_backend import CeleryOutboxBackend

CALLS = []


@task()
def record_call(value, *, twice=False):
    CALLS.append(value * (2 if twice else 1))


def test_backend_is_configured():
    assert isinstance(task_backends["default"], CeleryOutboxBackend)


def test_in_process_it_runs_at_once(db):
    CALLS.clear()
    result = record_call.enqueue(21, twice=True)
    assert CALLS == [42]
    assert result.status == "SUCCESSFUL"
    assert not OutboxMessage.objects.exists()


def test_with_a_broker_it_goes_through_the_outbox(db, monkeypatch, django_capture_on_commit_callbacks):
    CALLS.clear()
    monkeypatch.setattr("outbox.tasks_backend.is_eager", lambda: False)
    relayed = []
    monkeypatch.setattr("outbox.api._relay_one", relayed.append)
    with django_capture_on_commit_callbacks(execute=True):
        result = record_call.enqueue(5, twice=False)
    assert result.status == "READY" and CALLS == []
    message = OutboxMessage.objects.get()
    assert message.task_name == "outbox.tasks.run_django_task"
    assert message.payload["task"] == "tests.outbox.test_tasks_backend.record_call"
    assert relayed == [message.pk]
    # What the worker does with it:
    run_django_task.apply(args=[message.pk])
    assert CALLS == [5]


def test_a_page_save_queues_wagtail_index_tasks_instead_of_running_them(home, monkeypatch):
    monkeypatch.setattr("outbox.tasks_backend.is_eager", lambda: False)
    home.title = "หน้าแรก"
    home.save_revision().publish()
    names = set(OutboxMessage.objects.values_list("payload__task", flat=True))
    assert "wagtail.tasks.update_reference_index_task" in names
    assert "modelsearch.tasks.insert_or_update_object_task" in names


def test_an_object_deleted_before_the_worker_ran_is_not_a_failure(db):
    message = OutboxMessage.objects.create(
        task_name="outbox.tasks.run_django_task", dedupe_key="gone",
        payload={"task": "wagtail.tasks.update_reference_index_task", "args": ["wagtailcore", "page", "987654"]},
    )
    run_django_task.apply(args=[message.pk])
    message.refresh_from_db()
    assert message.status == "done"
