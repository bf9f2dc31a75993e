"""Fixtures of the foundation tests: one province of the tree, committee members, admin form data."""

import pytest
from django.contrib.auth import get_user_model

from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader

CHIANG_RAI = "57"
SAMUT_PRAKAN = "11"


@pytest.fixture
def chiang_rai(home):
    """The Chiang Rai provincial network, with its 18 districts and 124 tambons (and the national and
    northern networks above it)."""
    TreeLoader().load([CHIANG_RAI])
    return NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code=CHIANG_RAI)


@pytest.fixture
def samut_prakan(home):
    TreeLoader().load([SAMUT_PRAKAN])
    return NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code=SAMUT_PRAKAN)


def make_committee_member(network, username):
    """A user on the committee of `network`: the people app's membership record gives the page
    permissions (add and change on the network's subtree) and admin access through its groups."""
    from people.models import CommitteeMembership, CommitteeRole

    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    CommitteeMembership.objects.create(user=user, network=network, role=CommitteeRole.MEMBER)
    return user


@pytest.fixture
def committee_member(chiang_rai):
    user = make_committee_member(chiang_rai, "cr-member")
    permissions = chiang_rai.permissions_for_user(user)
    assert permissions.can_add_subpage() and not permissions.can_publish_subpage()
    return user


@pytest.fixture
def committee_client(client, committee_member):
    client.force_login(committee_member)
    return client
