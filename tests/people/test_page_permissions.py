"""Committee membership gives Wagtail page permissions through synchronised groups, checked through
the real admin views."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from people.groups import SHARED_GROUPS, committee_group_name
from people.models import CommitteeMembership, NetworkCommitteeGroup, ProvincialOfficerAssignment
from tests.factories import add_charter, make_user

from .formdata import page_edit_form, scrape_form

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(parent, model="networkpage"):
    app_label = "networks" if model == "networkpage" else "pages"
    return reverse("wagtailadmin_pages:add", args=[app_label, model, parent.pk])


def is_denied(response):
    """Wagtail answers a permission failure in its admin with a redirect home and an error message,
    or, for a user who lost admin access altogether, with a redirect to the login page."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (response.url == reverse("wagtailadmin_home") or response.url.startswith(reverse("wagtailadmin_login")))
    )


@pytest.fixture
def member(tree, client):
    user = make_user("member57")
    membership = CommitteeMembership.objects.create(user=user, network=tree["chiang_rai"], role="member")
    client.force_login(user)
    user.membership = membership
    return user


def test_membership_creates_the_network_group_lazily(tree, member):
    link = NetworkCommitteeGroup.objects.get(network=tree["chiang_rai"])
    group = link.group
    assert group.name == committee_group_name(tree["chiang_rai"])
    assert f"[{tree['chiang_rai'].pk}]" in group.name
    assert set(group.user_set.values_list("username", flat=True)) == {"member57"}
    codenames = set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page"}
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True)) == {tree["chiang_rai"].pk}
    assert member.has_perm("wagtailadmin.access_admin")
    # Only networks with members have groups.
    assert not NetworkCommitteeGroup.objects.filter(network=tree["samut_prakan"]).exists()


def test_member_edits_a_page_of_their_network_through_the_admin(tree, member, client):
    network = tree["chiang_rai"]  # the member's own network (not the networks below it: tests/hardening)
    data = page_edit_form(client, network)
    data["office_address"] = "ศาลากลางจังหวัดเชียงราย"
    response = client.post(edit_url(network), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    network.refresh_from_db()
    latest = network.get_latest_revision_as_object()
    assert latest.office_address == "ศาลากลางจังหวัดเชียงราย"
    # The charter of the network opens in the editor too.
    charter = add_charter(tree["chiang_rai"])
    assert client.get(edit_url(charter)).status_code == 200


def test_member_may_add_pages_in_their_subtree(tree, member, client):
    assert client.get(add_url(tree["chiang_rai"], "charterpage")).status_code == 200
    # Not below it: the district and tambon networks are organizations of their own (tests/hardening).
    assert is_denied(client.get(add_url(tree["mueang_cr"], "networkpage")))


def test_member_is_refused_on_another_network(tree, member, client):
    other = tree["samut_prakan"]
    other_charter = add_charter(other)
    assert is_denied(client.get(edit_url(other)))
    assert is_denied(client.get(edit_url(other_charter)))
    assert is_denied(client.post(edit_url(other), {"title": "ถูกแก้"}))
    assert is_denied(client.get(add_url(other, "charterpage")))
    assert is_denied(client.post(add_url(other, "charterpage"), {"title": "ร่าง"}))
    # Nor the parent region above their own network.
    assert is_denied(client.get(edit_url(tree["north"])))
    other.refresh_from_db()
    assert other.title == "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ"


def test_member_cannot_publish(tree, member, client):
    network = tree["chiang_rai"]
    network.live = False
    network.save()
    response = client.get(edit_url(network))
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    data = scrape_form(html, "page-edit-form")
    data["office_address"] = "อาคารอเนกประสงค์"
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(network), data)
    assert response.status_code == 302
    network.refresh_from_db()
    assert not network.live
    # The edit was kept as a draft, not published.
    assert network.get_latest_revision_as_object().office_address == "อาคารอเนกประสงค์"
    assert network.live_revision is None
    # The bulk publish action refuses as well.
    bulk_publish = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{bulk_publish}?id={network.pk}", {"include_descendants": "on"})
    network.refresh_from_db()
    assert not network.live
    tester = network.permissions_for_user(member)
    assert tester.can_edit()
    assert not tester.can_publish()
    assert not tester.can_publish_subpage()


def test_ending_a_membership_removes_access(tree, member, client):
    assert client.get(edit_url(tree["chiang_rai"])).status_code == 200
    membership = member.membership
    membership.ended_on = timezone.localdate()
    membership.save()
    assert not NetworkCommitteeGroup.objects.get(network=tree["chiang_rai"]).group.user_set.exists()
    assert is_denied(client.get(edit_url(tree["chiang_rai"])))
    # No membership anywhere: the shared committee group goes too.
    assert not member.groups.exists()


def test_deleting_a_membership_removes_access(tree, member, client):
    member.membership.delete()
    assert not member.groups.exists()
    assert is_denied(client.get(edit_url(tree["chiang_rai"])))


def test_moving_a_membership_to_another_network_moves_access(tree, member, client):
    membership = member.membership
    membership.network = tree["samut_prakan"]
    membership.save()
    assert is_denied(client.get(edit_url(tree["chiang_rai"])))
    assert client.get(edit_url(tree["samut_prakan"])).status_code == 200


def test_sync_role_groups_rebuilds_from_records_idempotently(tree, member):
    group = NetworkCommitteeGroup.objects.get(network=tree["chiang_rai"]).group
    # Hand edits that the records do not support are undone.
    intruder = make_user("intruder")
    group.user_set.add(intruder)
    GroupPagePermission.objects.create(group=group, page=tree["chiang_rai"], permission_type="publish")
    officer = make_user("officer")
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="57")
    Group.objects.filter(name__in=[g.name for g in SHARED_GROUPS]).delete()

    call_command("sync_role_groups", verbosity=0)
    assert set(group.user_set.values_list("username", flat=True)) == {"member57"}
    assert set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True)) == {
        "add_page", "change_page",
    }
    officer_group = Group.objects.get(name="เจ้าหน้าที่ พมจ.")
    assert list(officer_group.user_set.values_list("username", flat=True)) == ["officer"]
    assert officer_group.permissions.filter(codename="access_admin").exists()

    snapshot = (
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        sorted(Group.user_set.through.objects.values_list("group_id", "user_id")),
        sorted(Permission.objects.filter(group__isnull=False).values_list("group__name", "codename")),
    )
    call_command("sync_role_groups", verbosity=0)
    assert snapshot == (
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        sorted(Group.user_set.through.objects.values_list("group_id", "user_id")),
        sorted(Permission.objects.filter(group__isnull=False).values_list("group__name", "codename")),
    )


def test_officer_gets_admin_access_but_no_page_permissions(tree, client):
    officer = make_user("officer")
    ProvincialOfficerAssignment.objects.create(user=officer, province_code="57")
    client.force_login(officer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert is_denied(client.get(edit_url(tree["chiang_rai"])))


def test_sync_repairs_records_written_without_signals_in_bounded_queries(tree):
    def bulk_members(networks, prefix):
        CommitteeMembership.objects.bulk_create(
            CommitteeMembership(user=make_user(f"{prefix}{index}"), network=network)
            for index, network in enumerate(networks)
        )

    bulk_members([tree["wiang"]], "one")  # bulk_create sends no signals: no groups yet
    assert not NetworkCommitteeGroup.objects.exists()
    with CaptureQueriesContext(connection) as few:
        call_command("sync_role_groups", verbosity=0)
    assert NetworkCommitteeGroup.objects.get(network=tree["wiang"]).group.user_set.count() == 1

    bulk_members([tree[key] for key in ("national", "north", "chiang_rai", "mueang_cr", "samut_prakan", "mueang_sp")] * 3, "many")
    with CaptureQueriesContext(connection) as many:
        call_command("sync_role_groups", verbosity=0)
    assert NetworkCommitteeGroup.objects.count() == 7
    assert NetworkCommitteeGroup.objects.get(network=tree["mueang_sp"]).group.user_set.count() == 3
    # The number of statements does not grow with the number of networks.
    assert len(many.captured_queries) <= len(few.captured_queries) + 2
