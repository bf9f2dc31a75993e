"""The registrar's admin screens, driven through HTTP."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from networks.models import HomePage
from people.models import CommitteeMembership
from registry.models import RegistrationAnnouncement, RegistryEntry
from registry.services import register, revoke
from tests.factories import LONG_AGO, add_charter, add_province, make_registrar, make_user
from tests.scoped import built_once_per_module, refetched

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 23)


def build_entries():
    """Three registrations: two in Chiang Rai (57), one in Chiang Mai (50), by the registrar (as
    tests/conftest.py makes it)."""
    registrar = make_registrar(admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    entries = []
    for code, name in [("57", "เครือข่ายแม่สาย"), ("50", "เครือข่ายสันทราย"), ("57", "เครือข่ายเชียงแสน")]:
        network = add_province(HomePage.objects.get(), code, title=name)
        entries.append(register(add_charter(network, publish=True), registrar, on_date=DAY))
    return entries


# Built once for the module (tests/scoped.py); each test's writes roll back to them.
_entries = built_once_per_module(build_entries)


@pytest.fixture
def entries(_entries, db):
    return refetched(_entries)


@pytest.fixture
def registrar(entries):
    """The registrar who registered the entries, read again with them."""
    return entries[0].registered_by


def index_url():
    return reverse("registryentry:index")


def test_registrar_sees_the_registry_with_filters(client, registrar, entries):
    client.force_login(registrar)
    response = client.get(index_url())
    assert response.status_code == 200
    html = response.content.decode()
    for entry in entries:
        assert entry.registration_number in html
    assert "เชียงราย" in html  # province column
    assert "23 พฤศจิกายน 2569" in html  # Buddhist Era date

    html = client.get(index_url(), {"province": "50"}).content.decode()
    assert entries[1].registration_number in html
    assert entries[0].registration_number not in html

    # Search by number or by a part of the Thai name.
    html = client.get(index_url(), {"q": "สันทราย"}).content.decode()
    assert entries[1].registration_number in html and entries[0].registration_number not in html
    html = client.get(index_url(), {"q": entries[2].registration_number}).content.decode()
    assert entries[2].registration_number in html and entries[1].registration_number not in html


def test_status_filter(client, registrar, entries):
    revoke(entries[0], registrar, "ไม่มีผลการดำเนินงาน")
    client.force_login(registrar)
    html = client.get(index_url(), {"status": "revoked"}).content.decode()
    assert entries[0].registration_number in html
    assert entries[1].registration_number not in html


def test_registry_listing_runs_a_bounded_number_of_queries(client, registrar, home, django_assert_max_num_queries):
    client.force_login(registrar)
    client.get(index_url())  # warm caches (content types, site)

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index_url()).status_code == 200
        return len(captured)

    network = add_province(home, "57", title="เครือข่ายแรก")
    register(add_charter(network, publish=True), registrar, on_date=DAY)
    few = count_queries()
    for i in range(12):
        network = add_province(home, "57", title=f"เครือข่ายที่ {i}")
        register(add_charter(network, publish=True), registrar, on_date=DAY)
    with django_assert_max_num_queries(few):
        assert client.get(index_url()).status_code == 200
    assert few <= 25


def test_listing_refused_to_a_committee_member(client, django_user_model, entries):
    member = make_user("member", admin_access=True)
    CommitteeMembership.objects.create(user=member, network=entries[0].network, role="chair")
    client.force_login(member)
    assert client.get(index_url()).status_code in (302, 403)
    assert client.get(reverse("registryentry:inspect", args=(entries[0].pk,))).status_code in (302, 403)
    assert client.get(reverse("registryentry:history", args=(entries[0].pk,))).status_code in (302, 403)
    # Nobody gets the generic add, edit or delete forms: entries come from the services only.
    assert client.get(reverse("registryentry:add")).status_code in (302, 403)


def test_generic_forms_are_closed_even_to_a_registrar_and_a_superuser(client, registrar, entries, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    for user in (registrar, root):
        client.force_login(user)
        assert client.get(reverse("registryentry:add")).status_code in (302, 403)
        assert client.get(reverse("registryentry:edit", args=(entries[0].pk,))).status_code in (302, 403)
        assert client.post(reverse("registryentry:delete", args=(entries[0].pk,))).status_code in (302, 403)
    assert RegistryEntry.objects.count() == 3


def test_inspect_shows_amendments_and_history(client, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    charter.chapters = [("chapter", {"title": "บททั่วไป", "clauses": ["ข้อความที่แก้ไข"]})]
    charter.version_label = "แก้ไขเพิ่มเติมครั้งที่ ๑"
    register(charter, registrar, revision=charter.save_revision(), on_date=DAY)
    client.force_login(registrar)
    response = client.get(reverse("registryentry:inspect", args=(entry.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert entry.registration_number in html
    assert "แก้ไขเพิ่มเติมครั้งที่ ๑" in html
    assert "ข้อความที่แก้ไข" in html
    assert response.context["amendments"][0].sequence == 1
    assert len(response.context["history"]) == 2
    assert reverse("registryentry:revoke", args=(entry.pk,)) in html


def test_officer_reads_but_cannot_revoke(client, officer, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    client.force_login(officer)
    response = client.get(reverse("registryentry:inspect", args=(entry.pk,)))
    assert response.status_code == 200
    revoke_url = reverse("registryentry:revoke", args=(entry.pk,))
    assert revoke_url not in response.content.decode()

    assert client.get(revoke_url).status_code == 403
    assert client.post(revoke_url, {"reason": "ทุจริต"}).status_code == 403
    entry.refresh_from_db()
    assert not entry.is_revoked and entry.revocation_reason == ""


def test_superuser_without_registrar_record_cannot_revoke(client, django_user_model, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    assert client.post(reverse("registryentry:revoke", args=(entry.pk,)), {"reason": "ทุจริต"}).status_code == 403
    entry.refresh_from_db()
    assert not entry.is_revoked


def test_anonymous_is_sent_to_login(client, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    response = client.post(reverse("registryentry:revoke", args=(entry.pk,)), {"reason": "ทุจริต"})
    assert response.status_code == 302 and "login" in response["Location"]
    entry.refresh_from_db()
    assert not entry.is_revoked


def test_registrar_revokes_with_a_reason(client, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    url = reverse("registryentry:revoke", args=(entry.pk,))
    client.force_login(registrar)
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    entry.refresh_from_db()
    assert not entry.is_revoked

    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(url, {"reason": "ทุจริต", "revoked_on": future})
    assert response.status_code == 200 and response.context["form"].errors["revoked_on"]
    entry.refresh_from_db()
    assert not entry.is_revoked

    response = client.post(url, {"reason": "ทุจริต", "revoked_on": "2026-11-01"})
    assert response.status_code == 200 and response.context["form"].errors["revoked_on"]  # before registration

    response = client.post(url, {"reason": "ทุจริตในการบริหารกองทุน", "revoked_on": DAY.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse("registryentry:inspect", args=(entry.pk,))
    entry.refresh_from_db()
    assert entry.is_revoked
    assert entry.revoked_on == DAY
    assert entry.revocation_reason == "ทุจริตในการบริหารกองทุน"
    assert entry.revoked_by == registrar
    assert entry.history.latest().history_user == registrar

    # The record stays readable, marked revoked; the revoke form is gone.
    html = client.get(reverse("registryentry:inspect", args=(entry.pk,))).content.decode()
    assert "ทุจริตในการบริหารกองทุน" in html
    assert client.get(url).status_code == 302
    response = client.post(url, {"reason": "อีกครั้ง"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    entry.refresh_from_db()
    assert entry.revocation_reason == "ทุจริตในการบริหารกองทุน"


def issue_button(response):
    return BeautifulSoup(response.content, "html.parser").select_one("main form[method=post] button[type=submit]")


def test_issue_announcements_through_the_admin(client, registrar, officer, entries, home):
    url = reverse("registrationannouncement:issue")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not RegistrationAnnouncement.objects.exists()

    client.force_login(registrar)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["pending_count"] == 3
    assert not issue_button(response).has_attr("disabled")
    response = client.post(url, {"issued_on": "2026-11-30"})
    first = RegistrationAnnouncement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registrationannouncement:inspect", args=(first.pk,))
    assert first.number == 1 and first.issued_on == datetime.date(2026, 11, 30) and first.issued_by == registrar
    assert set(first.entries.all()) == set(entries)

    # Nothing new: the button is disabled, and a post is refused with a message, no empty announcement.
    assert issue_button(client.get(url)).has_attr("disabled")
    response = client.post(url, {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert RegistrationAnnouncement.objects.count() == 1

    newcomer = register(add_charter(add_province(home, "50", title="เครือข่ายใหม่"), publish=True), registrar, on_date=DAY)
    client.post(url, {})
    second = RegistrationAnnouncement.objects.get(number=2)
    assert list(second.entries.all()) == [newcomer]

    html = client.get(reverse("registrationannouncement:inspect", args=(second.pk,))).content.decode()
    assert newcomer.registration_number in html
    html = client.get(reverse("registrationannouncement:index")).content.decode()
    assert url in html


def test_registry_menu_only_for_readers(client, registrar, django_user_model, charter):
    client.force_login(registrar)
    assert reverse("registryentry:index") in client.get("/admin/").content.decode()
    member = make_user("member", admin_access=True)
    CommitteeMembership.objects.create(user=member, network=charter.network, role="member")
    client.force_login(member)
    assert reverse("registryentry:index") not in client.get("/admin/").content.decode()


def test_revoke_and_issue_pages_have_breadcrumbs(client, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    client.force_login(registrar)
    html = client.get(reverse("registryentry:revoke", args=(entry.pk,))).content.decode()
    assert reverse("registryentry:inspect", args=(entry.pk,)) in html
    html = client.get(reverse("registrationannouncement:issue")).content.decode()
    assert reverse("registrationannouncement:index") in html


def test_actions_appear_in_wagtails_history_view(client, registrar, charter):
    entry = register(charter, registrar, on_date=DAY)
    revoke(entry, registrar, "ไม่มีผลการดำเนินงาน")
    assert list(
        ModelLogEntry.objects.filter(object_id=str(entry.pk)).order_by("pk").values_list("action", flat=True)
    ) == ["registry.register", "registry.revoke"]
    client.force_login(registrar)
    response = client.get(reverse("registryentry:history", args=(entry.pk,)))
    assert response.status_code == 200
    assert "ไม่มีผลการดำเนินงาน" in response.content.decode()
    assert reverse("registryentry:history", args=(entry.pk,)) in client.get(
        reverse("registryentry:inspect", args=(entry.pk,))
    ).content.decode()
