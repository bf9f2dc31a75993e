"""Fixtures of the demo tests: `manage.py load_demo` run once per test module that asks for it."""

import io

import pytest
from django.core.management import call_command

from tests.scoped import built_once_per_module


def load_demo(*args):
    """Run `manage.py load_demo` with `args`; its output."""
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


# The demo, loaded once for the module's tests (tests/scoped.py): what a test changes rolls back to it.
_demo_loaded = built_once_per_module(lambda: load_demo("--force"))


@pytest.fixture
def demo(_demo_loaded, home):
    """The output of the first `load_demo` (the demo as it was loaded)."""
    return _demo_loaded
