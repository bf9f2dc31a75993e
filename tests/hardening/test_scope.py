"""Scope, decided and enforced (issue 9, item 4): each gap found by the probes, through the real admin.

- a committee edits only its own network's documents, not those of the funds below it;
- workflow reports and the admin's search list only what the user may see;
- an officer's membership form offers only people connected to their province;
- an attachment of unpublished minutes opens only for its network, its reviewers and the registrar;
- every drafter withdraws the same way.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.log_actions import log
from wagtail.models import Revision, WorkflowState

from networks.models import HomePage
from pages.models import MinutesAttachment
from people.models import CommitteeMembership
from tests.factories import (
    add_adopting_minutes,
    add_charter,
    add_minutes,
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_registrar,
    make_user,
    small_tree,
)
from tests.scoped import built_once_per_module, kept_while_in_scope, refetched
from tests.workflows.conftest import charter_form_data, current_task_state, login, run_to, submit_via_editor

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


_tree = built_once_per_module(lambda: small_tree(HomePage.objects.get()))


@pytest.fixture
def tree(_tree, db):
    return refetched(_tree)


@pytest.fixture
def provincial_member(tree):
    return make_committee_member(tree["chiang_rai"], "province_member")


def test_a_provincial_committee_cannot_edit_a_tambon_funds_documents(tree, provincial_member, client):
    fund_charter = add_charter(tree["wiang"])
    own_charter = add_charter(tree["chiang_rai"])
    form = charter_form_data(login(client, make_committee_member(tree["wiang"], "fund_member")), fund_charter)
    login(client, provincial_member)

    assert client.get(edit_url(own_charter)).status_code == 200
    for page in (fund_charter, tree["wiang"], tree["mueang_cr"]):
        assert client.get(edit_url(page)).status_code != 200, page
    revisions = Revision.objects.for_instance(fund_charter).count()
    client.post(edit_url(fund_charter), dict(form, title="แก้โดยเครือข่ายจังหวัด"))
    assert Revision.objects.for_instance(fund_charter).count() == revisions
    # No document may be added under the fund either.
    add = reverse("wagtailadmin_pages:add", args=["pages", "charterpage", tree["wiang"].pk])
    assert client.get(add).status_code != 200

    tester = fund_charter.permissions_for_user(provincial_member)
    assert not (tester.can_edit() or tester.can_delete() or tester.can_add_subpage())


def test_a_membership_in_the_fund_says_so(tree, provincial_member, client):
    fund_charter = add_charter(tree["wiang"])
    CommitteeMembership.objects.create(user=provincial_member, network=tree["wiang"], role="member")
    login(client, provincial_member)
    assert client.get(edit_url(fund_charter)).status_code == 200


def test_workflow_reports_and_search_list_only_the_users_own_documents(tree, provincial_member, client):
    fund_member = make_committee_member(tree["wiang"], "fund_member")
    fund_charter = add_charter(tree["wiang"], "ข้อบังคับกองทุนเวียงลับเฉพาะ")
    own_charter = add_charter(tree["chiang_rai"], "ข้อบังคับเครือข่ายจังหวัดของตนเอง")
    for member, charter in ((fund_member, fund_charter), (provincial_member, own_charter)):
        assert submit_via_editor(login(client, member), charter).status_code == 302

    login(client, provincial_member)
    for name in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        html = client.get(reverse(name)).content.decode()
        assert own_charter.title in html, name
        assert fund_charter.title not in html, name
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "ข้อบังคับ"}).content.decode()
    assert fund_charter.title not in html


def test_an_officer_chooses_only_people_connected_to_their_province(tree, client):
    officer = make_provincial_officer("officer57", "57")
    colleague = make_provincial_officer("colleague57", "57")
    fund_member = make_committee_member(tree["wiang"], "fund_member")
    office = make_local_office("obt_wiang", tree["wiang"], "อบต.เวียง")
    created = make_user("created_by_officer")
    log(created, "wagtail.create", user=officer)
    elsewhere = make_committee_member(tree["samut_prakan"], "sp_member")
    stranger = make_user("stranger")
    login(client, officer)

    form = client.get(reverse("committee_memberships:add")).context["form"]
    offered = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert offered == {colleague.username, fund_member.username, office.username, created.username}
    assert not offered & {officer.username, elsewhere.username, stranger.username}

    for person in (stranger, elsewhere, officer):
        response = client.post(reverse("committee_memberships:add"), {
            "user": person.pk, "network": tree["wiang"].pk, "role": "member", "started_on": "2026-01-01",
        })
        assert response.status_code == 200 and "user" in response.context["form"].errors
        assert not CommitteeMembership.objects.filter(user=person, network=tree["wiang"]).exists()
    # Nor for a network of another province, even for a person of their own.
    response = client.post(reverse("committee_memberships:add"), {
        "user": fund_member.pk, "network": tree["mueang_sp"].pk, "role": "member", "started_on": "2026-01-01",
    })
    assert not CommitteeMembership.objects.filter(user=fund_member, network=tree["mueang_sp"]).exists()


@pytest.fixture
def unpublished_attachment(tree):
    minutes = add_minutes(tree["wiang"], 1, date=datetime.date(2026, 3, 1))
    document = Document.objects.create(title="ใบลงชื่อ", file=ContentFile(b"%PDF-1.4 scope", name="sign-in.pdf"))
    MinutesAttachment.objects.create(page=minutes, document=document)
    return minutes, document


def test_unpublished_attachments_open_only_for_the_network_its_reviewers_and_the_registrar(
    tree, unpublished_attachment, provincial_member, client
):
    minutes, document = unpublished_attachment
    may = [
        make_committee_member(tree["wiang"], "fund_member"),
        make_local_office("obt_wiang", tree["wiang"], "อบต.เวียง"),
        make_provincial_officer("officer57", "57"),
        make_registrar("registrar"),
    ]
    may_not = [
        provincial_member,  # the network above the fund
        make_committee_member(tree["samut_prakan"], "sp_member"),
        make_provincial_officer("officer11", "11"),
        make_user("admin_access_only", admin_access=True),
        None,
    ]
    for user in may:
        assert login(client, user).get(document.url).status_code == 200, user
    for user in may_not:
        assert login(client, user).get(document.url).status_code == 404, user
    minutes.save_revision().publish()
    assert login(client, None).get(document.url).status_code == 200


def build_road(tree):
    """A tambon fund's charter with the people of its road, taken through the admin to the provincial
    review, and its edit form as the drafters saw it before it was submitted."""
    fund = tree["wiang"]
    users = {
        "member_a": make_committee_member(fund, "member_a", "member"),
        "chair_a": make_committee_member(fund, "chair_a", "chair"),
        "secretary_a": make_committee_member(fund, "secretary_a", "secretary"),
        "local_a": make_local_office("local_a", fund, "อบต.เวียง"),
        "officer_57": make_provincial_officer("officer_57", "57"),
        "registrar": make_registrar("registrar"),
    }
    road = {
        "tree": tree, "charter": add_charter(fund, author=users["member_a"]),
        "minutes_a": add_adopting_minutes(fund, 1, present=3), **users,
    }
    client = Client()
    road["form"] = charter_form_data(login(client, users["member_a"]), road["charter"])
    run_to(client, road, "provincial")
    return road


@pytest.fixture(scope="class")
def _road(_tree, django_db_blocker):
    with kept_while_in_scope(django_db_blocker, lambda: build_road(refetched(_tree))) as built:
        yield built


@pytest.mark.xdist_group("tests.hardening.test_scope")  # one process builds the road
class TestWithdrawing:
    """At the provincial review, built once for the class; each test's writes roll back to it."""

    @pytest.fixture
    def road(self, _road, db):
        return refetched(_road)

    @pytest.mark.parametrize("drafter", ["member_a", "chair_a", "secretary_a"])
    def test_every_drafter_withdraws_the_same_way(self, road, client, drafter):
        """The demo's cr_chair could not withdraw the charter cr_member had submitted (Wagtail lets only the
        submitter, the owner and the step's actors cancel): the form re-rendered, the workflow ran on."""
        charter, form = road["charter"], road["form"]
        assert current_task_state(charter) is not None
        revisions = Revision.objects.for_instance(charter).count()

        response = login(client, road[drafter]).post(
            edit_url(charter), dict(form, title="ถอนโดยกรรมการ", **{"action-cancel-workflow": "true"})
        )

        assert response.status_code == 302
        assert not WorkflowState.objects.for_instance(charter).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
        assert WorkflowState.objects.for_instance(charter).filter(status=WorkflowState.STATUS_CANCELLED).exists()
        assert Revision.objects.for_instance(charter).count() == revisions  # nothing of the form was saved

    def test_another_networks_committee_cannot_withdraw(self, road, client):
        charter, form = road["charter"], road["form"]
        assert current_task_state(charter) is not None
        for user in (make_committee_member(road["tree"]["chiang_rai"], "province_member"), road["officer_57"]):
            login(client, user).post(edit_url(charter), dict(form, **{"action-cancel-workflow": "true"}))
            assert current_task_state(charter) is not None


def test_the_read_documents_menu_is_shown_to_every_reading_role_and_only_to_them(tree, client):
    """Before any document is written too (the reading list then says there are none); a user with admin
    access and no role does not see it."""
    from people.models import SupportStaffAssignment

    support = make_user("codi_menu")
    SupportStaffAssignment.objects.create(user=support, office_name="พอช. ภาคเหนือ")
    readers = (
        make_committee_member(tree["samut_prakan"], "sp_menu_member"),  # a network with no document
        make_local_office("menu_abt", tree["wiang"], "อบต.เวียง"),
        make_provincial_officer("menu_officer", "57"),
        make_registrar("menu_registrar"),
        support,
    )
    listing = reverse("pages_readable_documents")
    for reader in readers:
        login(client, reader)
        assert listing in client.get(reverse("wagtailadmin_home")).content.decode(), reader.username
    login(client, make_user("menu_nobody", admin_access=True))
    assert listing not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_support_staff_and_a_higher_network_read_drafts_and_history_and_write_nothing(tree, provincial_member, client):
    from people.models import SupportStaffAssignment

    support = make_user("codi")
    SupportStaffAssignment.objects.create(user=support, office_name="พอช. ภาคเหนือ")
    fund_member = make_committee_member(tree["wiang"], "fund_member")
    charter = add_charter(tree["wiang"], "ข้อบังคับกองทุนเวียง", author=fund_member)
    charter.title = "ร่างล่าสุดของกองทุนเวียง"
    charter.save_revision(user=fund_member)
    latest = Revision.objects.for_instance(charter).order_by("-pk").first()
    form = charter_form_data(login(client, fund_member), charter)

    for reader in (support, provincial_member):
        login(client, reader)
        listing = client.get(reverse("pages_readable_documents"))
        assert listing.status_code == 200 and "ร่างล่าสุดของกองทุนเวียง" in listing.content.decode()
        page = client.get(reverse("pages_read_document", args=[charter.pk]))
        assert page.status_code == 200
        draft = client.get(reverse("pages_read_revision", args=[charter.pk, latest.pk]))
        assert draft.status_code == 200 and "ร่างล่าสุดของกองทุนเวียง" in draft.content.decode()
        # Reading is all: the view takes no POST, the editor refuses them.
        assert client.post(reverse("pages_read_document", args=[charter.pk])).status_code == 405
        revisions = Revision.objects.for_instance(charter).count()
        client.post(edit_url(charter), dict(form, title="แก้โดยผู้อ่าน"))
        assert Revision.objects.for_instance(charter).count() == revisions

    # Not another network's committee, nor a former support staff member.
    ended = make_user("codi_ended")
    SupportStaffAssignment.objects.create(
        user=ended, started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2021, 1, 1)
    )
    for outsider in (make_committee_member(tree["samut_prakan"], "sp_member"), ended):
        login(client, outsider)
        assert client.get(reverse("pages_read_document", args=[charter.pk])).status_code in (302, 403)
        assert client.get(reverse("pages_read_revision", args=[charter.pk, latest.pk])).status_code in (302, 403)


def _new_plan_form(client, network, title):
    from tests.people.formdata import scrape_form

    add = reverse("wagtailadmin_pages:add", args=["pages", "actionplanpage", network.pk])
    data = scrape_form(client.get(add).content.decode(), "page-edit-form")
    data.update({"title": title, "fiscal_year": "2570"})
    return add, data


def test_two_posts_of_one_create_form_make_one_page(tree, client):
    from pages.models import ActionPlanPage, PageCreation

    member = make_committee_member(tree["wiang"], "fund_member")
    login(client, member)
    add, data = _new_plan_form(client, tree["wiang"], "แผนปฏิบัติการปี 2570")
    assert data.get("create_token")

    first = client.post(add, data)  # "Save draft"
    second = client.post(add, data, HTTP_ACCEPT="application/json")  # the autosave of the same form
    third = client.post(add, data)  # pressed again

    plans = ActionPlanPage.objects.filter(network=tree["wiang"])
    assert plans.count() == 1
    plan = plans.get()
    assert first.status_code == 302
    assert second.status_code == 409 and second.json()["error_code"] == "already_created"
    assert third.status_code == 302 and third.url == edit_url(plan)
    assert PageCreation.objects.get(token=data["create_token"]).page_id == plan.pk
    # A new form (a new token) makes a new page.
    add, data = _new_plan_form(client, tree["wiang"], "แผนปฏิบัติการปี 2571")
    data["fiscal_year"] = "2571"
    assert client.post(add, data).status_code == 302
    assert plans.count() == 2


def test_a_form_with_errors_can_be_corrected_and_saved(tree, client, monkeypatch):
    from pages import creation
    from pages.models import ActionPlanPage

    monkeypatch.setattr(creation, "PENDING_SECONDS", 0)
    member = make_committee_member(tree["wiang"], "fund_member")
    login(client, member)
    add, data = _new_plan_form(client, tree["wiang"], "")
    assert client.post(add, dict(data, **{"action-submit": "1"})).status_code == 200  # no title: refused
    assert client.post(add, dict(data, title="แผนที่แก้แล้ว")).status_code == 302
    assert ActionPlanPage.objects.filter(network=tree["wiang"]).count() == 1


def test_choosers_hide_drafts_and_attachments_of_other_networks(tree, unpublished_attachment, client):
    fund_charter = add_charter(tree["wiang"], "ร่างข้อบังคับเวียงในตัวเลือก")
    own = make_committee_member(tree["samut_prakan"], "sp_member")
    fund_member = make_committee_member(tree["wiang"], "fund_member")
    _minutes, document = unpublished_attachment

    def chooser(name, *args):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        return response.json()["html"]

    login(client, own)
    assert fund_charter.title not in chooser("wagtailadmin_choose_page_child", tree["wiang"].pk)
    assert document.title not in chooser("wagtaildocs_chooser:choose")

    login(client, fund_member)
    assert fund_charter.title in chooser("wagtailadmin_choose_page_child", tree["wiang"].pk)
    assert document.title in chooser("wagtaildocs_chooser:choose")


def test_the_reading_list_runs_a_bounded_number_of_queries(tree, client):
    """The same number of queries for 5 documents as for 30 (the rest of the admin's furniture, menus
    and the like, is counted too, under a loose ceiling)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.models import SupportStaffAssignment

    support = make_user("codi")
    SupportStaffAssignment.objects.create(user=support, office_name="พอช.")
    login(client, support)

    made = []

    def listing(documents):
        while len(made) < documents:
            network = tree["wiang"] if len(made) % 2 else tree["mueang_sp"]
            made.append(add_charter(network, f"ข้อบังคับฉบับทดสอบ {len(made)}"))
        client.get(reverse("pages_readable_documents"))  # warm the per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("pages_readable_documents"))
        assert response.content.decode().count("ข้อบังคับฉบับทดสอบ") == documents
        return len(queries)

    few, many = listing(5), listing(30)
    assert few == many <= 25, (few, many)
