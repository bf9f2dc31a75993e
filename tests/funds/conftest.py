import pytest

from networks.models import NetworkLevel, NetworkPage
from tests.factories import (
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_support_staff,
    make_user,
)


def network_by_code(area_code):
    return NetworkPage.objects.get(area_code=area_code)


@pytest.fixture
def sp(samut_prakan):
    """Samut Prakan (11) of the real tree: 6 districts and their tambons."""
    return samut_prakan


@pytest.fixture
def paknam(sp):
    """Tambon Pak Nam, Mueang Samut Prakan district (1101)."""
    return network_by_code("110101")


@pytest.fixture
def mueang_sp(sp):
    return NetworkPage.objects.get(level=NetworkLevel.DISTRICT, area_code="1101")


@pytest.fixture
def bang_bo_fund(sp):
    """A tambon of Bang Bo district (1102)."""
    return NetworkPage.objects.filter(level=NetworkLevel.TAMBON, area_code__startswith="1102").order_by("area_code").first()


@pytest.fixture
def cr_fund(chiang_rai):
    """A tambon fund of Chiang Rai (57)."""
    return network_by_code("570101")


@pytest.fixture
def officer_11(db):
    """The provincial officer of Samut Prakan; Chiang Rai's is tests/conftest.py's `officer`."""
    return make_provincial_officer("officer11", "11", admin_access=True)


@pytest.fixture
def codi(db):
    return make_support_staff("codi", admin_access=True)


@pytest.fixture
def paknam_member(paknam):
    return make_committee_member(paknam, "paknam_member", admin_access=True)


@pytest.fixture
def mueang_chair(mueang_sp):
    return make_committee_member(mueang_sp, "mueang_chair", role="chair", admin_access=True)


@pytest.fixture
def sp_secretary(sp):
    return make_committee_member(sp, "sp_secretary", role="secretary", admin_access=True)


@pytest.fixture
def paknam_office(paknam):
    return make_local_office("paknam_office", paknam, "เทศบาลนครสมุทรปราการ", admin_access=True)


@pytest.fixture
def stranger(db):
    return make_user("stranger", admin_access=True)
