"""`chiang_rai` and `samut_prakan` (tests/conftest.py) built once per module instead of once per test, for
the modules whose tests only add to them: each test's writes roll back, and each test gets its own copy
(tests/scoped.py). A folder's conftest.py, or a module, takes both fixtures of a province:
`chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai`. Not for
transactional tests, which cannot run inside the module's transaction."""

import pytest

from .factories import load_province
from .scoped import built_once_per_module, refetched

chiang_rai_built_once = built_once_per_module(lambda: load_province("57"))
samut_prakan_built_once = built_once_per_module(lambda: load_province("11"))


@pytest.fixture
def chiang_rai(chiang_rai_built_once, home):
    return refetched(chiang_rai_built_once)


@pytest.fixture
def samut_prakan(samut_prakan_built_once, home):
    return refetched(samut_prakan_built_once)
