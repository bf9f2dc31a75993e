"""The funds' tests: Samut Prakan and Chiang Rai of the real tree, built once per module
(tests/provinces.py), and people of each role."""

import pytest
from django.contrib.auth import get_user_model

from networks.models import NetworkLevel, NetworkPage
from tests import provinces
from tests.factories import (
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_support_staff,
    make_user,
)

chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai
samut_prakan_built_once, samut_prakan = provinces.samut_prakan_built_once, provinces.samut_prakan


def network_by_code(area_code):
    return NetworkPage.objects.get(area_code=area_code)


def existing_user(username):
    """The user of that name when the module has built one with its data (test_summaries.py), else None."""
    return get_user_model().objects.filter(username=username).first()


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


def make_codi():
    return make_support_staff("codi", admin_access=True)


@pytest.fixture
def codi(db):
    return existing_user("codi") or make_codi()


@pytest.fixture
def paknam_member(paknam):
    return make_committee_member(paknam, "paknam_member", admin_access=True)


@pytest.fixture
def mueang_chair(mueang_sp):
    return make_committee_member(mueang_sp, "mueang_chair", role="chair", admin_access=True)


def make_sp_secretary(sp):
    return make_committee_member(sp, "sp_secretary", role="secretary", admin_access=True)


@pytest.fixture
def sp_secretary(sp):
    return existing_user("sp_secretary") or make_sp_secretary(sp)


@pytest.fixture
def paknam_office(paknam):
    return make_local_office("paknam_office", paknam, "เทศบาลนครสมุทรปราการ", admin_access=True)


@pytest.fixture
def stranger(db):
    return make_user("stranger", admin_access=True)
