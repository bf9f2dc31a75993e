import pytest
from django.contrib.auth.models import Group, Permission

from networks.models import NetworkPage
from pages.models import CharterPage
from people.models import ProvincialOfficerAssignment, RegistrarAssignment


def make_user(django_user_model, username, *, admin_access=True):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    if admin_access:
        group, _ = Group.objects.get_or_create(name="registry-tests admin access")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group)
    return user


def make_network_chain(home, province_code="57", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย"):
    national = NetworkPage.objects.filter(level="national").first()
    if national is None:
        national = home.add_child(instance=NetworkPage(title="เครือข่ายสวัสดิการชุมชนแห่งชาติ", level="national"))
    region = national.get_children().type(NetworkPage).first()
    if region is None:
        region = national.add_child(instance=NetworkPage(title="เครือข่ายภาคเหนือ", level="region"))
    return region.specific.add_child(
        instance=NetworkPage(title=title, level="province", area_code=province_code)
    )


def make_charter(network, version_label="พ.ศ. ๒๕๖๙", clause="สมาชิกต้องมีภูมิลำเนาในตำบล"):
    charter = network.add_child(
        instance=CharterPage(
            title=f"ข้อบังคับ{network.title}",
            version_label=version_label,
            chapters=[("chapter", {"title": "บททั่วไป", "clauses": [clause]})],
        )
    )
    charter.save_revision().publish()
    charter.refresh_from_db()
    return charter


@pytest.fixture
def network(home):
    return make_network_chain(home)


@pytest.fixture
def charter(network):
    return make_charter(network)


@pytest.fixture
def registrar(django_user_model):
    user = make_user(django_user_model, "registrar")
    RegistrarAssignment.objects.create(user=user, office_name="สำนักงาน ก.ส.ค.")
    return user


@pytest.fixture
def second_registrar(django_user_model):
    user = make_user(django_user_model, "registrar2")
    RegistrarAssignment.objects.create(user=user, office_name="สำนักงาน ก.ส.ค.")
    return user


@pytest.fixture
def officer(django_user_model):
    user = make_user(django_user_model, "officer57")
    ProvincialOfficerAssignment.objects.create(user=user, province_code="57")
    return user
