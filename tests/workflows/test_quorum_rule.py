"""The quorum used for adopting a charter: the statute's default, or the network's own rule."""

import pytest

from networks.models import NetworkPage
from workflows.quorum import quorum_met

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("present", "size", "percent", "met"),
    [
        (3, 5, None, True),  # more than half
        (2, 4, None, False),  # exactly half is not more than half
        (3, 4, 75, True),  # the network's own rule: at least 75%
        (2, 4, 75, False),
        (2, 4, 50, True),  # a lower rule set by the network
    ],
)
def test_default_and_network_quorum_rules(present, size, percent, met):
    network = NetworkPage(title="เครือข่ายทดสอบ", level="province", quorum_percent=percent)
    assert quorum_met(present, size, network) is met


def test_no_committee_is_never_a_quorum():
    assert quorum_met(0, 0, NetworkPage(quorum_percent=None)) is False
