from .notifications import notify_step_waiting


def on_task_submitted(sender, instance, user=None, **kwargs):
    """A step started (first submission, next step, or resumption after changes): tell its actors."""
    notify_step_waiting(instance)
