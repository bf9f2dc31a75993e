"""The admin screens for role records: scoping for provincial officers, history, bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from people.models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
)
from tests.factories import make_provincial_officer, make_support_staff, make_user

from .test_page_permissions import is_denied

pytestmark = pytest.mark.django_db

INDEX = "committee_memberships:index"


def url(name, *args):
    return reverse(f"committee_memberships:{name}", args=args)


@pytest.fixture
def memberships(tree):
    return {
        "cr_chair": CommitteeMembership.objects.create(user=make_user("cr_chair"), network=tree["chiang_rai"], role="chair"),
        "wiang_member": CommitteeMembership.objects.create(user=make_user("wiang_member"), network=tree["wiang"]),
        "sp_chair": CommitteeMembership.objects.create(user=make_user("sp_chair"), network=tree["samut_prakan"], role="chair"),
    }


@pytest.fixture
def officer57(client):
    officer = make_provincial_officer("officer57", "57")
    client.force_login(officer)
    return officer


@pytest.fixture
def superuser(django_user_model, client):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return admin


def today_form():
    return timezone.localdate().isoformat()


def add_role_record(client, add_url, user, *, note="", **fields):
    """Post the add form of a role record (a committee membership, a local office) for `user`, from today."""
    return client.post(add_url, {"user": user.pk, **fields, "started_on": today_form(), "ended_on": "", "note": note})


def test_superuser_lists_and_creates_memberships(tree, memberships, superuser, client):
    response = client.get(url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("cr_chair", "wiang_member", "sp_chair"):
        assert name in html
    newcomer = make_user("newcomer")
    response = add_role_record(
        client, url("add"), newcomer, network=tree["mueang_sp"].pk, role="secretary", note="มติที่ประชุมครั้งที่ 1/2569"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = CommitteeMembership.objects.get(user=newcomer)
    assert membership.history.get().history_user == superuser
    assert newcomer.groups.filter(committee_network_link__network=tree["mueang_sp"]).exists()


def test_second_chair_is_refused_with_a_message(tree, memberships, superuser, client):
    response = add_role_record(client, url("add"), make_user("pretender"), network=tree["chiang_rai"].pk, role="chair")
    assert response.status_code == 200
    assert CommitteeMembership.objects.filter(network=tree["chiang_rai"], role="chair").count() == 1
    assert response.context["form"].errors


def test_inspect_view_shows_the_history(tree, memberships, superuser, client, django_assert_max_num_queries):
    membership = memberships["cr_chair"]
    membership.ended_on = timezone.localdate()
    membership.save()
    response = client.get(url("inspect", membership.pk))
    assert response.status_code == 200
    rows = response.context["role_history"]
    assert len(rows) == 2
    assert rows[0]["record"].history_type == "~"
    assert rows[1]["record"].history_type == "+"
    html = response.content.decode()
    assert 'id="role-history-heading"' in html
    # Every kind of change in Thai on the Thai admin (simple_history's own "Changed" has no Thai).
    assert [str(row["change"]) for row in rows] == ["แก้ไข", "สร้าง"] and "Changed" not in html
    # Dates in the Buddhist Era.
    be_year = str(timezone.localdate().year + 543)
    assert be_year in html

    # The history costs the same number of queries however long it is.
    for role in ("member", "secretary", "member", "secretary"):
        membership.role = role
        membership.save()
    with django_assert_max_num_queries(40) as captured:
        response = client.get(url("inspect", membership.pk))
    assert len(response.context["role_history"]) == 6
    assert sum("simple_history" in q["sql"] or "historical" in q["sql"] for q in captured.captured_queries) == 1


def test_officer_lists_only_their_province(tree, memberships, officer57, client):
    response = client.get(url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cr_chair" in html and "wiang_member" in html
    assert "sp_chair" not in html
    # Searching does not reach past the province either.
    response = client.get(url("index"), {"q": "chair"})
    assert [m.user.username for m in response.context["object_list"]] == ["cr_chair"]


def test_officer_cannot_touch_another_province(tree, memberships, officer57, client):
    other = memberships["sp_chair"]
    assert is_denied(client.get(url("edit", other.pk)))
    assert is_denied(client.post(url("edit", other.pk), {"role": "member", "started_on": today_form(), "ended_on": today_form()}))
    assert is_denied(client.get(url("delete", other.pk)))
    assert is_denied(client.post(url("delete", other.pk)))
    assert is_denied(client.get(url("inspect", other.pk)))
    assert is_denied(client.get(url("history", other.pk)))
    other.refresh_from_db()
    assert other.ended_on is None and other.role == "chair"


def test_officer_cannot_add_a_member_in_another_province(tree, memberships, officer57, client):
    user = make_user("someone")
    response = add_role_record(client, url("add"), user, network=tree["mueang_sp"].pk, role="member")
    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert not CommitteeMembership.objects.filter(user=user).exists()


def test_officer_cannot_appoint_themselves(tree, officer57, client):
    response = add_role_record(client, url("add"), officer57, network=tree["wiang"].pk, role="member")
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not CommitteeMembership.objects.filter(user=officer57).exists()


def test_officer_manages_their_province(tree, memberships, officer57, client):
    newcomer = make_user("newcomer")
    log(newcomer, "wagtail.create", user=officer57)  # an account the officer created (tests/hardening/test_scope.py)
    response = add_role_record(client, url("add"), newcomer, network=tree["wiang"].pk, role="secretary")
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = CommitteeMembership.objects.get(user=newcomer)
    assert membership.network_id == tree["wiang"].pk
    # Ending the chair's membership through the edit form.
    chair = memberships["cr_chair"]
    assert client.get(url("edit", chair.pk)).status_code == 200
    response = client.post(url("edit", chair.pk), {
        "role": "chair", "started_on": chair.started_on.isoformat(), "ended_on": today_form(), "note": "ครบวาระ",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    chair.refresh_from_db()
    assert chair.ended_on == timezone.localdate()
    assert chair.history.first().history_user == officer57
    assert not chair.user.groups.exists()


def test_officer_cannot_manage_other_roles(officer57, client):
    assert is_denied(client.get(reverse("provincial_officer_assignments:index")))
    assert is_denied(client.get(reverse("registrar_assignments:index")))
    assert is_denied(client.get(reverse("local_office_assignments:index")))
    assert is_denied(client.post(reverse("provincial_officer_assignments:add"), {
        "user": officer57.pk, "province_code": "11", "started_on": today_form(),
    }))
    assert set(ProvincialOfficerAssignment.objects.values_list("province_code", flat=True)) == {"57"}


def test_committee_member_cannot_manage_memberships(tree, memberships, client):
    client.force_login(memberships["cr_chair"].user)
    assert is_denied(client.get(url("index")))
    assert is_denied(client.get(url("edit", memberships["wiang_member"].pk)))


def test_superuser_manages_registrars(superuser, client):
    registrar = make_user("registrar")
    response = client.post(reverse("registrar_assignments:add"), {
        "user": registrar.pk, "office_name": "สำนักงาน ก.ส.ค.", "started_on": today_form(), "ended_on": "", "note": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RegistrarAssignment.objects.filter(user=registrar).exists()
    assert registrar.groups.filter(name="นายทะเบียน").exists()


def test_listing_runs_a_bounded_number_of_queries(tree, officer57, client, django_assert_max_num_queries):
    for index in range(3):
        CommitteeMembership.objects.create(user=make_user(f"few{index}"), network=tree["wiang"])
    client.get(url("index"))
    with django_assert_max_num_queries(40) as few:
        client.get(url("index"))
    for index in range(25):
        CommitteeMembership.objects.create(user=make_user(f"many{index}"), network=tree["mueang_cr"])
    with django_assert_max_num_queries(40) as many:
        response = client.get(url("index"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_officer_sees_the_menu_and_the_add_form(tree, officer57, client):
    home = client.get(reverse("wagtailadmin_home"))
    assert url("index") in home.content.decode()
    assert reverse("registrar_assignments:index") not in home.content.decode()
    response = client.get(url("add"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["network"].queryset.values_list("province_code", flat=True)) == {"57"}


def test_support_staff_read_but_do_not_change(tree, memberships, client):
    staff = make_support_staff("codi")
    client.force_login(staff)
    response = client.get(url("index"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3
    assert client.get(url("inspect", memberships["sp_chair"].pk)).status_code == 200
    assert is_denied(client.get(url("edit", memberships["sp_chair"].pk)))
    assert is_denied(client.post(url("delete", memberships["sp_chair"].pk)))
    assert is_denied(client.get(url("add")))
    assert CommitteeMembership.objects.count() == 3


def test_local_office_serves_a_province_district_or_tambon(tree, superuser, client):
    user = make_user("abj")
    add = reverse("local_office_assignments:add")
    # A regional network answers to no local government: the form does not offer it and refuses it.
    form = client.get(add).context["form"]
    offered = set(form.fields["network"].queryset.values_list("level", flat=True))
    assert offered == {"province", "district", "tambon"}
    response = add_role_record(client, add, user, network=tree["north"].pk, office_name="สำนักงานภาค")
    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert not LocalOfficeAssignment.objects.exists()
    # The provincial administrative organization (อบจ.) of Chiang Rai, for the provincial network.
    response = add_role_record(
        client, add, user, network=tree["chiang_rai"].pk, office_name="องค์การบริหารส่วนจังหวัดเชียงราย"
    )
    assert response.status_code == 302
    assert LocalOfficeAssignment.objects.get().network_id == tree["chiang_rai"].pk
    response = add_role_record(client, add, make_user("obt"), network=tree["wiang"].pk, office_name="อบต.เวียง")
    assert response.status_code == 302
    assert LocalOfficeAssignment.objects.filter(network=tree["wiang"]).exists()


def test_an_edit_cannot_move_a_record_to_another_person_or_network(tree, memberships, superuser, client):
    membership = memberships["wiang_member"]
    other = make_user("other")
    response = client.post(url("edit", membership.pk), {
        "user": other.pk, "network": tree["mueang_sp"].pk, "role": "member",
        "started_on": membership.started_on.isoformat(), "ended_on": "", "note": "แก้หมายเหตุ",
    })
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.user.username, membership.network_id, membership.note) == ("wiang_member", tree["wiang"].pk, "แก้หมายเหตุ")
