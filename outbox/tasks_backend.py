"""A django-tasks backend that runs Wagtail's own background tasks (search index, reference index,
file deletion) on the Celery workers, so a page save does not pay for them.

    TASKS = {"default": {"BACKEND": "outbox.tasks_backend.CeleryOutboxBackend"}}

With a broker, `enqueue` writes an outbox message in the caller's transaction (relayed to Celery on
commit, like every other piece of follow-up work, so a broker outage loses nothing). Without one (the
embedded `make run`, the tests) the task runs immediately, as django-tasks' ImmediateBackend does.
"""

from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_module_path, get_random_id, normalize_json

from .api import enqueue
from .relay import is_eager


class CeleryOutboxBackend(ImmediateBackend):
    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        if is_eager() or task.takes_context:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        enqueue(
            "outbox.tasks.run_django_task",
            {
                "task": get_module_path(task.func),
                "args": normalize_json(list(args)),
                "kwargs": normalize_json(dict(kwargs)),
                "description": task.name,
            },
            dedupe_key=f"django-task:{result.id}",
            key_is_new=True,
        )
        task_enqueued.send(type(self), task_result=result)
        return result
