import pytest

from tests.factories import add_charter, add_province, make_registrar


@pytest.fixture
def network(home):
    return add_province(home)


@pytest.fixture
def charter(network):
    return add_charter(network, publish=True)


@pytest.fixture
def second_registrar():
    return make_registrar("registrar2", admin_access=True)
