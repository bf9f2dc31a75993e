"""Officer onboarding (issue 13): a provincial officer invites a person to a network of their own
province; the person gets an e-mail (through the outbox) with a link that sets a password, then signs
in and finds the network. The officer never sees or picks anything outside the province."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from outbox.models import OutboxMessage
from people.forms import people_of_provinces
from people.models import CommitteeMembership
from tests.factories import make_committee_member, make_provincial_officer, make_registrar

pytestmark = pytest.mark.django_db

INVITE_URL = "/admin/people/invite/"
NEW_PASSWORD = "ตั้งรหัสผ่านใหม่-2569!"


@pytest.fixture
def officer(tree):
    return make_provincial_officer("officer_57", "57", first_name="วรวุฒิ", last_name="ทองคำ")


def invitation(network, **changes):
    return {"first_name": "สมหญิง", "last_name": "ใจงาม", "email": "somying@example.org",
            "network": network.pk, "role": "member", **changes}


def counts():
    return get_user_model().objects.count(), CommitteeMembership.objects.count(), OutboxMessage.objects.count()


def test_officer_invites_and_the_link_sets_a_password(tree, officer, client, django_capture_on_commit_callbacks):
    client.force_login(officer)
    page = client.get(INVITE_URL)
    assert page.status_code == 200
    html = page.content.decode()
    # Only the networks of the officer's province are offered.
    assert str(tree["wiang"].pk) in html and tree["wiang"].title in html
    assert tree["samut_prakan"].title not in html and tree["mueang_sp"].title not in html

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(INVITE_URL, invitation(tree["wiang"]))
    assert response.status_code == 302

    user = get_user_model().objects.get(email="somying@example.org")
    assert not user.has_usable_password()
    membership = CommitteeMembership.objects.get(user=user)
    assert (membership.network_id, membership.role) == (tree["wiang"].pk, "member")
    # Logged as the officer's creation: the membership form offers the person to this officer.
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(user.pk), user=officer).exists()
    assert user in people_of_provinces({"57"}, officer)

    message = OutboxMessage.objects.get(dedupe_key=f"people:invitation:{user.pk}")
    assert message.payload["to"] == ["somying@example.org"]
    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", message.payload["body"]).group(0)
    assert user.get_username() in message.payload["body"]

    # The link sets a password (Wagtail's reset confirmation, Django's token).
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert "new_password1" not in client.get("/" + path, follow=True).content.decode()

    # The new member signs in and finds the network on the dashboard.
    signed_in = client.post(reverse("wagtailadmin_login"), {"username": user.get_username(), "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert tree["wiang"].title in dashboard.content.decode()


def test_a_network_of_another_province_is_refused_and_nothing_changes(tree, officer, client):
    client.force_login(officer)
    before = counts()
    with translation.override("en"):
        response = client.post(INVITE_URL, invitation(tree["mueang_sp"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert counts() == before


def test_an_address_with_an_account_is_refused_without_naming_it(tree, officer, client):
    make_registrar("registrar", email="somying@example.org", first_name="อรุณี")
    client.force_login(officer)
    before = counts()
    response = client.post(INVITE_URL, invitation(tree["wiang"], email="SOMYING@example.org"))
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "อรุณี" not in response.content.decode() and "registrar" not in response.content.decode()
    assert counts() == before


def test_a_second_chair_is_refused_with_the_rule_and_nothing_changes(tree, officer, client):
    make_committee_member(tree["wiang"], "chair_wiang", "chair")
    client.force_login(officer)
    before = counts()
    response = client.post(INVITE_URL, invitation(tree["wiang"], role="chair"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert counts() == before


@pytest.mark.parametrize("who", ["member", "registrar", "anonymous"])
def test_only_provincial_officers_may_invite(tree, client, who):
    if who == "member":
        client.force_login(make_committee_member(tree["wiang"], "member_wiang"))
    elif who == "registrar":
        client.force_login(make_registrar())
    before = counts()
    get = client.get(INVITE_URL)
    post = client.post(INVITE_URL, invitation(tree["wiang"]))
    assert get.status_code in (302, 403) and post.status_code in (302, 403)
    if who != "anonymous":  # Wagtail sends a refused admin user to the dashboard with its message
        assert get.status_code == 403 or get.url == reverse("wagtailadmin_home")
    assert counts() == before


def test_the_memberships_list_offers_the_invitation_to_officers_only(tree, officer, client):
    client.force_login(officer)
    assert INVITE_URL in client.get(reverse("committee_memberships:index")).content.decode()
    client.force_login(make_committee_member(tree["wiang"], "member_wiang"))
    response = client.get(reverse("committee_memberships:index"))
    assert INVITE_URL not in response.content.decode()


def test_the_invite_page_runs_a_bounded_number_of_queries(tree, officer, client, django_assert_max_num_queries):
    client.force_login(officer)
    client.get(INVITE_URL)
    with django_assert_max_num_queries(25):
        assert client.get(INVITE_URL).status_code == 200
