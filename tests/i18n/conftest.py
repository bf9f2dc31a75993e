import pytest
from django.conf import settings

from tests.factories import add_charter, add_network, make_committee_member

PROJECT_CATALOGS = settings.BASE_DIR / "locale"
ADMIN_CATALOGS = settings.BASE_DIR / "locale_admin"


@pytest.fixture
def charter_world(home):
    """A tambon network with a draft charter, its committee member (drafter) and its chair (reviewer)."""
    network = add_network(home, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")
    drafter = make_committee_member(network, "drafter", "member")
    chair = make_committee_member(network, "chair", "chair")
    charter = add_charter(network, "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง", clauses=["ข้อบังคับนี้เรียกว่า ข้อบังคับกองทุน"],
                          author=drafter)
    return {"network": network, "charter": charter, "drafter": drafter, "chair": chair}
