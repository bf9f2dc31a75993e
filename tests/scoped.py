"""Test data built once for a wider scope (a module, a package) instead of once per test.

`kept_while_in_scope` holds the data in a transaction that stays open while its scope lasts; every test's
own transaction is a savepoint inside it, so what a test writes rolls back to the data, and the data itself
is rolled back when the scope ends. `refetched` gives a test its own copies of the built model instances,
read again from the database, so that nothing a test changes in memory reaches the next test.
"""

import contextlib
import sys

import pytest
from django.db import models, transaction
from django.utils import translation


@contextlib.contextmanager
def kept_while_in_scope(django_db_blocker, build):
    """Run `build` in a transaction held open until the block ends, then rolled back; yields what it built."""
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            with translation.override("th"):
                built = build()
        except BaseException:
            held.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            held.__exit__(None, None, None)


def refetched(built):
    """`built` (a model instance, or a dict, list or tuple of them and other values) with every instance
    read again from the database."""
    if isinstance(built, models.Model):
        fresh = type(built)._default_manager.get(pk=built.pk)
        # What a builder attached to the instance (minutes.adoption_item), read again as well; not the
        # cached values of the model's own properties.
        for name, value in vars(built).items():
            if not name.startswith("_") and name not in vars(fresh) and not hasattr(type(built), name):
                setattr(fresh, name, refetched(value))
        return fresh
    if isinstance(built, dict):
        return {key: refetched(value) for key, value in built.items()}
    if isinstance(built, (list, tuple)):
        return type(built)(refetched(value) for value in built)
    return built


def built_once_per_module(build, *after):
    """A module-scoped fixture whose value is what `build()` returns, kept while the module's tests run
    (`kept_while_in_scope`); `after` names fixtures of a wider scope to set up first (data it builds on)."""

    @pytest.fixture(scope="module")
    def fixture(request, django_db_setup, django_db_blocker):
        for name in after:
            request.getfixturevalue(name)
        with kept_while_in_scope(django_db_blocker, build) as built:
            yield built

    return fixture
