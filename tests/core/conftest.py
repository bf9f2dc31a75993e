"""A tambon network under a province, its committee member (who may add documents) and a superuser."""

import pytest

from networks.models import HomePage
from tests.factories import make_committee_member, small_tree
from tests.scoped import built_once_per_module, refetched

# The small tree, built once for each module that asks for it (tests/scoped.py); each test's writes roll
# back to it.
_small_tree = built_once_per_module(lambda: small_tree(HomePage.objects.get()))


@pytest.fixture
def wiang(_small_tree, home):
    """Wiang tambon (570101) of the small tree, read again for each test."""
    return refetched(_small_tree["wiang"])


@pytest.fixture
def committee_client(client, wiang):
    client.force_login(make_committee_member(wiang, "wiang-member"))
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-root"))
    return client
