"""Saving a row whose django-simple-history record must name who changed it, and why."""


def save_with_history(instance, user, reason=None, **changes):
    """Set `changes` on `instance` and save it; its history record names `user` (and `reason`)."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = user
    if reason is not None:
        instance._change_reason = reason
    instance.save()
    return instance
