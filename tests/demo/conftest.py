"""Fixtures of the demo tests: `manage.py load_demo` run once per test that asks for it."""

import io

import pytest
from django.core.management import call_command


def load_demo(*args):
    """Run `manage.py load_demo` with `args`; its output."""
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(home):
    return load_demo("--force")
