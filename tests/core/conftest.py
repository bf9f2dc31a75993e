"""A tambon network under a province, its committee member (who may add documents) and a superuser."""

import pytest

from tests.factories import make_committee_member, small_tree


@pytest.fixture
def wiang(home):
    return small_tree(home)["wiang"]


@pytest.fixture
def committee_client(client, wiang):
    client.force_login(make_committee_member(wiang, "wiang-member"))
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-root"))
    return client
