import pytest

from networks.models import NetworkPage
from pages.models import CharterPage


def add_network(parent, title, level, area_code=""):
    return parent.add_child(instance=NetworkPage(title=title, level=level, area_code=area_code))


@pytest.fixture
def tree(home):
    """A small tree: national → north → Chiang Rai (57) → Mueang district → Wiang tambon; and
    central → Samut Prakan (11) → Mueang Samut Prakan district."""
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region")
    central = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคกลาง", "region")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    mueang_cr = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    wiang = add_network(mueang_cr, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")
    samut_prakan = add_network(central, "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "province", "11")
    mueang_sp = add_network(samut_prakan, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองสมุทรปราการ", "district", "1101")
    return {
        "national": national, "north": north, "chiang_rai": chiang_rai, "mueang_cr": mueang_cr,
        "wiang": wiang, "samut_prakan": samut_prakan, "mueang_sp": mueang_sp,
    }


def add_charter(network, title=None):
    return network.add_child(
        instance=CharterPage(
            title=title or f"ข้อบังคับ{network.title}",
            version_label="พ.ศ. ๒๕๖๙",
            chapters=[("chapter", {"title": "บททั่วไป", "clauses": ["ชื่อเครือข่าย"]})],
            live=False,
        )
    )


@pytest.fixture
def make_user(django_user_model):
    def make(username, **kwargs):
        return django_user_model.objects.create_user(username=username, password="pw-" + username, **kwargs)

    return make
