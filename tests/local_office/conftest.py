"""Two provinces, each with its provincial administrative organization (อบจ.) as a local office, and a
tambon with its own อบต., to show whose application each office comments on."""

import pytest

from people.models import CommitteeMembership, LocalOfficeAssignment, ProvincialOfficerAssignment
from tests.workflows.conftest import PASSWORD, add_minutes, add_network


def add_charter(network, title, author):
    from pages.models import CharterPage

    charter = network.add_child(
        instance=CharterPage(
            title=title,
            version_label="พ.ศ. ๒๕๖๙",
            chapters=[("chapter", {"title": "บททั่วไป", "clauses": [f"ข้อบังคับนี้เรียกว่า {title}"]})],
            live=False,
        )
    )
    charter.save_revision(user=author)
    return charter


@pytest.fixture
def provinces(home, django_user_model):
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region")
    central = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคกลาง", "region")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    mueang = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    wiang = add_network(mueang, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")
    samut_prakan = add_network(central, "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "province", "11")

    def user(name):
        return django_user_model.objects.create_user(username=name, password=PASSWORD, email=f"{name}@example.org")

    people = {name: user(name) for name in (
        "cr_member", "cr_chair", "cr_secretary", "wiang_member", "wiang_chair", "wiang_secretary",
        "abj_57", "abj_11", "obt_wiang", "officer_57",
    )}
    for name, network, role in (
        ("cr_member", chiang_rai, "member"), ("cr_chair", chiang_rai, "chair"),
        ("cr_secretary", chiang_rai, "secretary"), ("wiang_member", wiang, "member"),
        ("wiang_chair", wiang, "chair"), ("wiang_secretary", wiang, "secretary"),
    ):
        CommitteeMembership.objects.create(user=people[name], network=network, role=role)
    LocalOfficeAssignment.objects.create(
        user=people["abj_57"], network=chiang_rai, office_name="องค์การบริหารส่วนจังหวัดเชียงราย"
    )
    LocalOfficeAssignment.objects.create(
        user=people["abj_11"], network=samut_prakan, office_name="องค์การบริหารส่วนจังหวัดสมุทรปราการ"
    )
    LocalOfficeAssignment.objects.create(user=people["obt_wiang"], network=wiang, office_name="อบต.เวียง")
    ProvincialOfficerAssignment.objects.create(user=people["officer_57"], province_code="57")
    return {
        "chiang_rai": chiang_rai,
        "wiang": wiang,
        "samut_prakan": samut_prakan,
        "cr_charter": add_charter(chiang_rai, "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", people["cr_member"]),
        "cr_minutes": add_minutes(chiang_rai, 1, present=3),
        "wiang_charter": add_charter(wiang, "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง", people["wiang_member"]),
        "wiang_minutes": add_minutes(wiang, 1, present=3),
        **people,
    }
