"""`manage.py load_demo` refuses a real site. (The demo it loads, its users, idempotence: test_demo_road.py,
where the demo is loaded once for all its tests; this test needs a database without it.)"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from networks.models import NetworkPage

from .conftest import load_demo


def test_refuses_to_run_with_debug_off_unless_forced(home, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not NetworkPage.objects.exists() and not get_user_model().objects.exists()
