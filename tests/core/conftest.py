"""A tambon network under a province, its committee member (who may add documents) and a superuser."""

import pytest

from networks.models import NetworkPage
from people.models import CommitteeMembership


def add_network(parent, title, level, area_code):
    return parent.add_child(instance=NetworkPage(title=title, level=level, area_code=area_code))


@pytest.fixture
def wiang(home):
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national", "")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region", "")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    mueang = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    return add_network(mueang, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")


@pytest.fixture
def committee_client(client, wiang, django_user_model):
    member = django_user_model.objects.create_user(username="wiang-member", password="pw-wiang-member")
    CommitteeMembership.objects.create(user=member, network=wiang, role="member")
    client.force_login(member)
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-root"))
    return client
