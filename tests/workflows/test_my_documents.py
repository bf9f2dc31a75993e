"""The dashboard panel "Documents of my network": every document of the user's committees with where
it stands (draft, waiting at a named step, changes requested or rejected with the reason, registered /
certified), since when and by whom, with links; nothing of other networks; a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState

from networks.models import NetworkPage
from pages.models import AgendaItem, CharterPage, MeetingMinutesPage, PresentMember
from people.models import CommitteeMembership, LocalOfficeAssignment, ProvincialOfficerAssignment
from workflows.my_documents import MyNetworkDocumentsPanel, NetworkDocuments

pytestmark = pytest.mark.django_db

CHECKLIST = {name: True for name in (
    "has_charter", "has_adopting_minutes", "has_committee_list", "has_action_plan", "has_member_count",
    "welfare_work_one_year", "office_one_year")}


def add_network(parent, title, level, code=""):
    return parent.add_child(instance=NetworkPage(title=title, level=level, area_code=code))


def add_charter(network, user, title="ข้อบังคับกองทุน"):
    charter = network.add_child(instance=CharterPage(
        title=title, version_label="พ.ศ. ๒๕๖๙", live=False,
        chapters=[("chapter", {"title": "บททั่วไป", "clauses": ["ข้อบังคับนี้เรียกว่า ข้อบังคับกองทุน"]})],
    ))
    charter.save_revision(user=user)
    return charter


def add_minutes(network, user, number, present=3, size=5):
    minutes = MeetingMinutesPage(
        title=f"รายงานการประชุม ครั้งที่ {number}", body_name="คณะกรรมการ", meeting_number=number,
        meeting_date=datetime.date(2026, 3, 1), place="ศาลาประชาคม", committee_size=size, live=False,
    )
    network.add_child(instance=minutes)
    for i in range(present):
        PresentMember.objects.create(page=minutes, name=f"กรรมการ {i}", position="กรรมการ", sort_order=i)
    minutes.adoption_item = AgendaItem.objects.create(
        page=minutes, title="พิจารณาร่างข้อบังคับ", resolution="เห็นชอบร่างข้อบังคับ", sort_order=4)
    minutes.save_revision(user=user)
    return minutes


def submit(page, user):
    page = page.specific
    page.save_revision(user=user, log_action=True)
    page.get_workflow().start(page, user)


def act(page, user, action="approve", **data):
    """A decision through the task's own form and on_action, as the admin's action dialog takes it."""
    state = WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    form = task.get_form_for_action(action)(data=data)
    assert form.is_valid(), form.errors
    task.on_action(task_state, user, action, **form.cleaned_data)


@pytest.fixture
def world(home, django_user_model):
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายภาคเหนือ", "region")
    province = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    district = add_network(province, "เครือข่ายอำเภอเมืองเชียงราย", "district", "5701")
    net_a = add_network(district, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")
    net_b = add_network(district, "กองทุนสวัสดิการชุมชนตำบลรอบเวียง", "tambon", "570102")
    users = {name: django_user_model.objects.create_user(username=name, password="pw", first_name=name)
             for name in ("member_a", "chair_a", "secretary_a", "chair_b", "local_a", "officer")}
    CommitteeMembership.objects.create(user=users["member_a"], network=net_a, role="member")
    CommitteeMembership.objects.create(user=users["chair_a"], network=net_a, role="chair")
    CommitteeMembership.objects.create(user=users["secretary_a"], network=net_a, role="secretary")
    CommitteeMembership.objects.create(user=users["chair_b"], network=net_b, role="chair")
    LocalOfficeAssignment.objects.create(user=users["local_a"], network=net_a, office_name="อบต.เวียง")
    ProvincialOfficerAssignment.objects.create(user=users["officer"], province_code="57")
    return {"net_a": net_a, "net_b": net_b, **users}


def to_provincial_review(world, charter, adopting):
    submit(charter, world["member_a"])
    act(charter, world["chair_a"])
    act(charter, world["secretary_a"], minutes=adopting.pk, agenda_item=adopting.adoption_item.pk)
    act(charter, world["local_a"], comment="อบต.เวียงเห็นควรสนับสนุน")


def rows_by_title(user):
    sections = NetworkDocuments(user).sections()
    return {row.page.title: row for section in sections for row in section.rows}, sections


def test_states_in_words_with_reason_since_and_links(world, client):
    member, chair = world["member_a"], world["chair_a"]
    net_a = world["net_a"]
    add_charter(world["net_b"], world["chair_b"], title="ข้อบังคับของตำบลอื่น")

    draft = add_charter(net_a, member, title="ร่างที่ยังไม่ส่ง")
    certified = add_minutes(net_a, member, 1)
    submit(certified, member)
    act(certified, chair)
    sent_back = add_minutes(net_a, member, 2)
    submit(sent_back, member)
    act(sent_back, chair, "reject", comment="ขอให้เพิ่มรายชื่อผู้เข้าประชุม")
    waiting = add_minutes(net_a, member, 3)
    submit(waiting, member)
    rejected = add_charter(net_a, member, title="ข้อบังคับที่ถูกปฏิเสธ")
    to_provincial_review(world, rejected, certified)
    act(rejected, world["officer"], "reject_application", comment="ยังดำเนินงานไม่ครบหนึ่งปี")

    with translation.override("en"):
        rows, sections = rows_by_title(member)
        assert [s.network for s in sections] == [net_a]
        assert "ข้อบังคับของตำบลอื่น" not in rows  # another network's document

        assert rows[draft.title].state.kind == "draft"
        assert str(rows[draft.title].state.label) == "draft"
        assert rows[certified.title].state.kind == "live"
        assert str(rows[certified.title].state.label) == "certified"
        assert rows[certified.title].live_url

        row = rows[sent_back.title]
        assert row.state.kind == "changes"
        assert "changes requested at" in str(row.state.label) and "Minutes certification" in str(row.state.label)
        assert row.state.reason == "ขอให้เพิ่มรายชื่อผู้เข้าประชุม"
        assert row.state.by == chair and row.state.since is not None

        row = rows[waiting.title]
        assert row.state.kind == "waiting" and "Minutes certification" in str(row.state.label)
        assert row.state.by == member  # who submitted it

        row = rows[rejected.title]
        assert row.state.kind == "rejected" and "Provincial review" in str(row.state.label)
        assert row.state.reason == "ยังดำเนินงานไม่ครบหนึ่งปี" and row.state.by == world["officer"]
        assert row.edit_url == reverse("wagtailadmin_pages:edit", args=[rejected.pk])
        assert row.history_url == reverse("wagtailadmin_pages:history", args=[rejected.pk])

    # On the admin's dashboard, in Thai (the admin's default language).
    client.force_login(member)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('id="my-network-documents-section"'):]
    with translation.override("th"):
        assert translation.gettext("draft") in panel
        assert translation.gettext("certified") in panel
    assert "ขอให้เพิ่มรายชื่อผู้เข้าประชุม" in panel and "ยังดำเนินงานไม่ครบหนึ่งปี" in panel
    assert reverse("wagtailadmin_pages:history", args=[draft.pk]) in panel
    assert "ข้อบังคับของตำบลอื่น" not in panel


def test_registered_charter_shows_its_number(world):
    from people.models import RegistrarAssignment

    registrar = get_user_model().objects.create_user(username="registrar", password="pw")
    RegistrarAssignment.objects.create(user=registrar, office_name="ก.ส.ค.")
    charter = add_charter(world["net_a"], world["member_a"])
    adopting = add_minutes(world["net_a"], world["member_a"], 1)
    to_provincial_review(world, charter, adopting)
    act(charter, world["officer"], **CHECKLIST)
    act(charter, registrar, conditions="")

    rows, sections = rows_by_title(world["chair_a"])
    assert rows[charter.title].state.kind == "live"
    assert sections[0].registration_number.startswith("57-")


def test_no_panel_for_people_outside_committees(world, client):
    client.force_login(world["officer"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="my-network-documents-section"' not in html
    assert NetworkDocuments(world["officer"]).sections() == []


def render_panel(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return MyNetworkDocumentsPanel(NetworkDocuments(user, request).sections()).render_html({"request": request})


def make_documents(world, count, first_number):
    """`count` minutes of network A, in turn waiting, sent back with a reason, and certified."""
    member, chair = world["member_a"], world["chair_a"]
    for i in range(count):
        minutes = add_minutes(world["net_a"], member, first_number + i)
        submit(minutes, member)
        if i % 3 == 1:
            act(minutes, chair, "reject", comment=f"แก้ไขข้อ {i}")
        elif i % 3 == 2:
            act(minutes, chair)


def test_queries_do_not_grow_with_documents(world, django_assert_max_num_queries):
    member = world["member_a"]
    add_charter(world["net_a"], member)
    make_documents(world, 3, first_number=1)
    with django_assert_max_num_queries(10) as few:
        html = render_panel(get_user_model().objects.get(pk=member.pk))
    assert html.count("data-document-state=") == 4

    make_documents(world, 12, first_number=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = render_panel(get_user_model().objects.get(pk=member.pk))
    assert html.count("data-document-state=") == 16
    assert html.count('data-document-state="changes"') == 5
