import pytest

from networks.models import HomePage
from tests.factories import add_charter, add_province, make_registrar
from tests.scoped import built_once_per_module, refetched

# Chiang Rai's provincial network and its published charter, not registered: built once for each module
# that asks for them (tests/scoped.py); each test's writes roll back to them.
_charter = built_once_per_module(lambda: add_charter(add_province(HomePage.objects.get()), publish=True))


@pytest.fixture
def charter(_charter, home):
    """The charter, read again for each test; its network is `charter.network`."""
    return refetched(_charter)


@pytest.fixture
def second_registrar():
    return make_registrar("registrar2", admin_access=True)
