import pytest

from networks.models import HomePage
from tests.factories import small_tree
from tests.scoped import built_once_per_module, refetched

# Built once for each module that asks for it (tests/scoped.py); each test's writes roll back to it.
_small_tree = built_once_per_module(lambda: small_tree(HomePage.objects.get()))


@pytest.fixture
def tree(_small_tree, home):
    """national → north → Chiang Rai (57) → Mueang district → Wiang tambon; and central → Samut Prakan (11)
    → Mueang Samut Prakan district. Read again for each test."""
    return refetched(_small_tree)
