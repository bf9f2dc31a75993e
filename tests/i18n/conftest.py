import pytest
from django.conf import settings

from networks.models import NetworkPage
from pages.models import CharterPage
from people.models import CommitteeMembership

PROJECT_CATALOGS = settings.BASE_DIR / "locale"
ADMIN_CATALOGS = settings.BASE_DIR / "locale_admin"


@pytest.fixture
def charter_world(home, django_user_model):
    """A tambon network with a draft charter, its committee member (drafter) and its chair (reviewer)."""
    network = home.add_child(
        instance=NetworkPage(title="กองทุนสวัสดิการชุมชนตำบลเวียง", level="tambon", area_code="570101")
    )
    drafter = django_user_model.objects.create_user(username="drafter", password="pw-test-only")
    chair = django_user_model.objects.create_user(username="chair", password="pw-test-only")
    CommitteeMembership.objects.create(user=drafter, network=network, role="member")
    CommitteeMembership.objects.create(user=chair, network=network, role="chair")
    charter = network.add_child(
        instance=CharterPage(
            title="ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง",
            version_label="พ.ศ. ๒๕๖๙",
            chapters=[("chapter", {"title": "บททั่วไป", "clauses": ["ข้อบังคับนี้เรียกว่า ข้อบังคับกองทุน"]})],
            live=False,
        )
    )
    charter.save_revision(user=drafter)
    return {"network": network, "charter": charter, "drafter": drafter, "chair": chair}
