import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from networks.models import NetworkPage
from pages.models import CharterPage
from people import roles
from people.models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)
from tests.factories import add_charter, make_user

pytestmark = pytest.mark.django_db


def test_committee_role_is_exact_to_the_network(tree):
    user = make_user("somchai")
    CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"], role="secretary")
    assert roles.committee_role(user, tree["chiang_rai"]) == "secretary"
    assert roles.is_committee_member(user, tree["chiang_rai"])
    assert roles.is_chair_or_secretary(user, tree["chiang_rai"])
    # Not the networks below or above, nor another province.
    assert roles.committee_role(user, tree["mueang_cr"]) is None
    assert roles.committee_role(user, tree["north"]) is None
    assert not roles.is_committee_member(user, tree["samut_prakan"])
    assert list(roles.committee_networks(user)) == [tree["chiang_rai"]]


def test_plain_member_is_not_chair_or_secretary(tree):
    user = make_user("member")
    CommitteeMembership.objects.create(user=user, network=tree["wiang"], role="member")
    assert roles.is_committee_member(user, tree["wiang"])
    assert not roles.is_chair_or_secretary(user, tree["wiang"])


def test_documents_and_plain_pages_resolve_to_their_network(tree):
    user = make_user("chair")
    CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"], role="chair")
    charter = add_charter(tree["chiang_rai"])
    assert charter.network_id == tree["chiang_rai"].pk
    assert roles.committee_role(user, charter) == "chair"
    # A generic Page instance (not specific) of the charter: found through its ancestors.
    generic = Page.objects.get(pk=charter.pk)
    roles.clear_role_cache(user)
    assert roles.committee_role(user, generic) == "chair"
    # A charter of a tambon below is the tambon's, not the province's.
    assert roles.committee_role(user, add_charter(tree["wiang"])) is None


def test_ended_membership_gives_no_role(tree):
    user = make_user("former")
    membership = CommitteeMembership.objects.create(
        user=user, network=tree["chiang_rai"], role="chair", started_on=datetime.date(2024, 1, 1)
    )
    membership.ended_on = timezone.localdate()
    membership.save()
    roles.clear_role_cache(user)
    assert roles.committee_role(user, tree["chiang_rai"]) is None
    assert list(roles.committee_networks(user)) == []


def test_superuser_has_no_implicit_roles(tree, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    assert roles.committee_role(admin, tree["chiang_rai"]) is None
    assert not roles.is_local_office_for(admin, tree["wiang"])
    assert not roles.is_provincial_officer_for(admin, tree["chiang_rai"])
    assert roles.officer_province_codes(admin) == set()
    assert not roles.is_registrar(admin)


def test_anonymous_and_inactive_users_have_no_roles(tree):
    assert roles.committee_role(AnonymousUser(), tree["chiang_rai"]) is None
    assert not roles.is_registrar(AnonymousUser())
    user = make_user("inactive")
    CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"])
    RegistrarAssignment.objects.create(user=user)
    user.is_active = False
    assert roles.committee_role(user, tree["chiang_rai"]) is None
    assert not roles.is_registrar(user)


def test_local_office_serves_its_network_and_below(tree):
    district_office = make_user("amphoe")
    LocalOfficeAssignment.objects.create(user=district_office, network=tree["mueang_cr"], office_name="เทศบาลนครเชียงราย")
    tambon_office = make_user("obt")
    LocalOfficeAssignment.objects.create(user=tambon_office, network=tree["wiang"], office_name="อบต.เวียง")

    assert roles.is_local_office_for(district_office, tree["mueang_cr"])
    assert roles.is_local_office_for(district_office, tree["wiang"])
    assert roles.is_local_office_for(district_office, add_charter(tree["wiang"]))
    assert not roles.is_local_office_for(district_office, tree["chiang_rai"])
    assert not roles.is_local_office_for(district_office, tree["mueang_sp"])

    assert roles.is_local_office_for(tambon_office, tree["wiang"])
    assert not roles.is_local_office_for(tambon_office, tree["mueang_cr"])


def test_provincial_administrative_organization_may_serve_a_provincial_network(tree):
    assignment = LocalOfficeAssignment(
        user=make_user("abj57"), network=tree["chiang_rai"], office_name="องค์การบริหารส่วนจังหวัดเชียงราย"
    )
    assignment.full_clean()
    assignment.save()
    assert roles.is_local_office_for(assignment.user, tree["chiang_rai"])


@pytest.mark.parametrize(("key", "level_th"), [("national", "ระดับชาติ"), ("north", "ภาค")])
def test_local_office_refused_above_the_province_in_thai(tree, key, level_th):
    assignment = LocalOfficeAssignment(user=make_user("x"), network=tree[key], office_name="สำนักงานส่วนกลาง")
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    [message] = excinfo.value.message_dict["network"]
    # Thai first: the default language gives the Thai message, naming the refused level in Thai.
    assert level_th in message
    assert "local government" not in message and "อปท" in message
    assert not LocalOfficeAssignment.objects.exists()


def test_provincial_office_serves_the_provincial_network_only(tree):
    """An อบจ. comments on the provincial network's application; the district and tambon networks of
    its province file at their own municipality or อบต., so it is not their local office."""
    abj = make_user("abj57")
    LocalOfficeAssignment.objects.create(user=abj, network=tree["chiang_rai"], office_name="อบจ.เชียงราย")
    district_office = make_user("thesaban")
    LocalOfficeAssignment.objects.create(user=district_office, network=tree["mueang_cr"], office_name="เทศบาลนครเชียงราย")

    assert roles.is_local_office_for(abj, tree["chiang_rai"])
    charter = add_charter(tree["chiang_rai"])
    assert roles.is_local_office_for(abj, charter)
    assert roles.is_local_office_for(abj, Page.objects.get(pk=charter.pk))  # not specific: found by its ancestors
    for key in ("mueang_cr", "wiang", "samut_prakan", "mueang_sp", "north", "national"):
        assert not roles.is_local_office_for(abj, tree[key]), key
    assert not roles.is_local_office_for(abj, add_charter(tree["wiang"]))
    assert list(roles.local_office_networks(abj)) == [tree["chiang_rai"]]

    served = NetworkPage.objects.filter(roles.local_office_network_filter(abj))
    assert list(served) == [tree["chiang_rai"]]
    served = NetworkPage.objects.filter(roles.local_office_network_filter(district_office)).order_by("path")
    assert list(served) == [tree["mueang_cr"], tree["wiang"]]

    # Who is told and who may act: the same rule from the network's side.
    def serving(key):
        return set(roles.local_office_assignments_serving(tree[key]).values_list("user__username", flat=True))

    assert serving("chiang_rai") == {"abj57"}
    assert serving("mueang_cr") == {"thesaban"}
    assert serving("wiang") == {"thesaban"}
    assert serving("samut_prakan") == set()


def test_provincial_officer_sees_only_their_provinces(tree):
    officer = make_user("pmj57")
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="57")
    assert roles.officer_province_codes(officer) == {"57"}
    assert roles.is_provincial_officer_for(officer, tree["chiang_rai"])
    assert roles.is_provincial_officer_for(officer, tree["wiang"])
    assert roles.is_provincial_officer_for(officer, add_charter(tree["wiang"]))
    assert not roles.is_provincial_officer_for(officer, tree["samut_prakan"])
    # The regional and national networks belong to no province.
    assert not roles.is_provincial_officer_for(officer, tree["north"])


def test_officer_of_two_provinces(tree):
    officer = make_user("pmj")
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="57")
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="11")
    assert roles.officer_province_codes(officer) == {"57", "11"}
    assert roles.is_provincial_officer_for(officer, tree["mueang_sp"])


def test_province_code_is_validated_against_geothai():
    assignment = ProvincialOfficerAssignment(user=make_user("x"), province_code="99")
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    assert "province_code" in excinfo.value.message_dict


def test_registrar():
    registrar = make_user("registrar")
    assert not roles.is_registrar(registrar)
    RegistrarAssignment.objects.create(user=registrar, office_name="สำนักงาน ก.ส.ค.")
    roles.clear_role_cache(registrar)
    assert roles.is_registrar(registrar)


def test_one_active_chair_per_network_in_the_database(tree):
    CommitteeMembership.objects.create(user=make_user("a"), network=tree["chiang_rai"], role="chair")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMembership.objects.create(user=make_user("b"), network=tree["chiang_rai"], role="chair")
    # Another network may have its own chair; an ended chair does not count.
    CommitteeMembership.objects.create(user=make_user("c"), network=tree["samut_prakan"], role="chair")
    CommitteeMembership.objects.create(
        user=make_user("d"), network=tree["wiang"], role="chair",
        started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2022, 1, 1),
    )
    CommitteeMembership.objects.create(user=make_user("e"), network=tree["wiang"], role="chair")


def test_second_chair_gets_a_clear_validation_message(tree):
    CommitteeMembership.objects.create(user=make_user("a"), network=tree["chiang_rai"], role="chair")
    second = CommitteeMembership(user=make_user("b"), network=tree["chiang_rai"], role="chair")
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    # Thai first: the default language gives the Thai message.
    assert any("มีประธานอยู่แล้ว" in message for message in excinfo.value.messages)
    assert CommitteeMembership.objects.filter(role="chair").count() == 1


def test_one_active_membership_per_user_and_network(tree):
    user = make_user("a")
    CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"])
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"], role="secretary")


def test_end_date_rules(tree):
    membership = CommitteeMembership(
        user=make_user("a"), network=tree["chiang_rai"],
        started_on=datetime.date(2025, 5, 1), ended_on=datetime.date(2025, 4, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "ended_on" in excinfo.value.message_dict
    membership.ended_on = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_history_rows_record_every_change(tree):
    user = make_user("a")
    membership = CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"], role="member")
    membership.role = "secretary"
    membership.save()
    membership.ended_on = timezone.localdate()
    membership.save()
    history = list(membership.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert [h.role for h in history] == ["member", "secretary", "secretary"]
    assert history[-1].ended_on == timezone.localdate()
    membership_pk = membership.pk
    membership.delete()
    assert CommitteeMembership.history.filter(id=membership_pk).latest("history_date").history_type == "-"

    officer = ProvincialOfficerAssignment.objects.create(user=user, province_code="57")
    officer.ended_on = timezone.localdate()
    officer.save()
    assert officer.history.count() == 2


def test_role_checks_use_a_bounded_number_of_queries(tree, django_assert_max_num_queries):
    user = make_user("busy")
    for network in (tree["chiang_rai"], tree["mueang_cr"], tree["wiang"], tree["samut_prakan"]):
        CommitteeMembership.objects.create(user=user, network=network)
    LocalOfficeAssignment.objects.create(user=user, network=tree["mueang_cr"], office_name="เทศบาล")
    ProvincialOfficerAssignment.objects.create(user=user, province_code="57")
    RegistrarAssignment.objects.create(user=user)
    pages = [tree[key] for key in tree]
    user = type(user).objects.get(pk=user.pk)
    # One query per kind of role, whatever the number of networks checked.
    with django_assert_max_num_queries(4):
        for network in pages * 5:
            roles.committee_role(user, network)
            roles.is_chair_or_secretary(user, network)
            roles.is_local_office_for(user, network)
            roles.is_provincial_officer_for(user, network)
            roles.is_registrar(user)
    # A document whose network is loaded with it costs nothing more.
    charter = add_charter(tree["wiang"])

    charter = CharterPage.objects.select_related("network").get(pk=charter.pk)
    with django_assert_max_num_queries(0):
        roles.committee_role(user, charter)
        roles.is_local_office_for(user, charter)
        roles.is_provincial_officer_for(user, charter)


def test_ending_records_through_the_queryset_keeps_history_and_groups(tree):
    user = make_user("a")
    CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"])
    CommitteeMembership.objects.create(user=user, network=tree["wiang"])
    assert user.groups.count() == 3  # two committees and the shared committee group
    assert CommitteeMembership.objects.filter(user=user).end() == 2
    assert CommitteeMembership.objects.filter(user=user).active().count() == 0
    assert CommitteeMembership.history.filter(user=user, ended_on__isnull=False).count() == 2
    assert user.groups.count() == 0


def test_start_date_cannot_be_in_the_future(tree):
    membership = CommitteeMembership(
        user=make_user("a"), network=tree["chiang_rai"], started_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "started_on" in excinfo.value.message_dict


@pytest.mark.parametrize("model", [RegistrarAssignment, SupportStaffAssignment, ProvincialOfficerAssignment])
def test_a_role_cannot_end_before_it_starts_in_the_database(model):
    extra = {"province_code": "57"} if model is ProvincialOfficerAssignment else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(
            user=make_user("a"), started_on=datetime.date(2025, 5, 1), ended_on=datetime.date(2025, 4, 1), **extra
        )


def test_officer_assignment_reads_as_user_and_province():
    officer = ProvincialOfficerAssignment(user=make_user("officer"), province_code="57")
    assert str(officer).endswith("– เชียงราย")
