"""Model fields that many apps declare the same way."""

from django.conf import settings
from django.db import models


def acting_user(verbose_name=None, **options):
    """The user who did something to a record (filed, decided, imported it…). Optional, and set to null
    when the account is deleted, so the record outlives its author; no reverse accessor on the user."""
    options = {"null": True, "blank": True, "on_delete": models.SET_NULL, "related_name": "+", **options}
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    return models.ForeignKey(settings.AUTH_USER_MODEL, **options)
