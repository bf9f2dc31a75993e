import pytest

from tests.factories import small_tree


@pytest.fixture
def tree(home):
    """national → north → Chiang Rai (57) → Mueang district → Wiang tambon; and central → Samut Prakan (11)
    → Mueang Samut Prakan district."""
    return small_tree(home)
