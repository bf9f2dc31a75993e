import pytest
from django.contrib.auth.models import Group

from demo.people import assign_demo_roles
from people import roles
from people.models import CommitteeMembership
from tests.factories import make_user

pytestmark = pytest.mark.django_db

KEYS = ("cr_member", "cr_secretary", "cr_chair", "sp_chair", "local_office", "lo_57", "lo_11", "officer_57",
        "officer_11", "registrar", "codi_staff")


def test_demo_roles_are_assigned_once(tree):
    users = {key: make_user(key) for key in KEYS}
    networks = {"chiang_rai": tree["chiang_rai"], "samut_prakan": tree["samut_prakan"],
                "local_office_tambon": tree["wiang"]}
    changes = assign_demo_roles(users, networks)
    assert len(changes) == 11
    assert roles.committee_role(users["cr_member"], tree["chiang_rai"]) == "member"
    assert roles.committee_role(users["cr_secretary"], tree["chiang_rai"]) == "secretary"
    assert roles.committee_role(users["cr_chair"], tree["chiang_rai"]) == "chair"
    assert roles.committee_role(users["sp_chair"], tree["samut_prakan"]) == "chair"
    assert roles.is_local_office_for(users["local_office"], tree["wiang"])
    # The provincial administrative organizations (อบจ.) serve their own provincial network only.
    assert roles.is_local_office_for(users["lo_57"], tree["chiang_rai"])
    assert not roles.is_local_office_for(users["lo_57"], tree["wiang"])
    assert not roles.is_local_office_for(users["lo_57"], tree["samut_prakan"])
    assert roles.is_local_office_for(users["lo_11"], tree["samut_prakan"])
    assert not roles.is_local_office_for(users["lo_11"], tree["chiang_rai"])
    assert roles.officer_province_codes(users["officer_57"]) == {"57"}
    assert roles.officer_province_codes(users["officer_11"]) == {"11"}
    assert roles.is_registrar(users["registrar"])
    assert roles.is_support_staff(users["codi_staff"])
    assert users["codi_staff"].groups.filter(name="เจ้าหน้าที่ พอช. (อ่านอย่างเดียว)").exists()
    snapshot = (CommitteeMembership.history.count(), Group.objects.count())

    assert assign_demo_roles(users, networks) == []
    assert snapshot == (CommitteeMembership.history.count(), Group.objects.count())
