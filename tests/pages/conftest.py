"""Chiang Rai and Samut Prakan built once per module (tests/provinces.py); a committee member of the Chiang
Rai provincial network, who may add documents but not publish them."""

import pytest

from tests import provinces
from tests.factories import make_committee_member

chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai
samut_prakan_built_once, samut_prakan = provinces.samut_prakan_built_once, provinces.samut_prakan


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
