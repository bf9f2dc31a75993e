"""The dashboard panel "Documents of my network": every document of the user's committees with where
it stands (draft, waiting at a named step, changes requested or rejected with the reason, registered /
certified), since when and by whom, with links; nothing of other networks; a fixed number of queries."""


import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState

from networks.models import HomePage
from tests import factories
from tests.scoped import built_once_per_module, refetched
from workflows.my_documents import MyNetworkDocumentsPanel, NetworkDocuments

pytestmark = pytest.mark.django_db

CHECKLIST = {name: True for name in (
    "has_charter", "has_adopting_minutes", "has_committee_list", "has_action_plan", "has_member_count",
    "welfare_work_one_year", "office_one_year")}


def add_draft_charter(network, user, title="ข้อบังคับกองทุน"):
    return factories.add_charter(network, title, clauses=["ข้อบังคับนี้เรียกว่า ข้อบังคับกองทุน"], author=user)


def add_minutes(network, user, number, present=3, size=5, certified=False):
    return factories.add_adopting_minutes(
        network, number, present, size=size, body_name="คณะกรรมการ", author=user, revision=True, certified=certified
    )


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


def build_committees():
    tree = factories.small_tree(HomePage.objects.get())
    net_a = tree["wiang"]
    net_b = factories.add_network(tree["mueang_cr"], "กองทุนสวัสดิการชุมชนตำบลรอบเวียง", "tambon", "570102")
    users = {
        name: factories.make_committee_member(network, name, role, first_name=name)
        for name, network, role in (
            ("member_a", net_a, "member"), ("chair_a", net_a, "chair"), ("secretary_a", net_a, "secretary"),
            ("chair_b", net_b, "chair"),
        )
    }
    users["local_a"] = factories.make_local_office("local_a", net_a, "อบต.เวียง", first_name="local_a")
    users["officer"] = factories.make_provincial_officer("officer", "57", first_name="officer")
    return {"net_a": net_a, "net_b": net_b, **users}


_committees = built_once_per_module(build_committees)


@pytest.fixture
def committees(_committees, db):
    """Two tambon networks A and B of one district, their committees, A's local office and the province's
    officer (no documents yet: each test writes its own); built once per module, read again per test."""
    return refetched(_committees)


def to_provincial_review(committees, charter, adopting):
    submit(charter, committees["member_a"])
    act(charter, committees["chair_a"])
    act(charter, committees["secretary_a"], minutes=adopting.pk, agenda_item=adopting.adoption_item.pk)
    act(charter, committees["local_a"], comment="อบต.เวียงเห็นควรสนับสนุน")


def rows_by_title(user):
    sections = NetworkDocuments(user).sections()
    return {row.page.title: row for section in sections for row in section.rows}, sections


def test_states_in_words_with_reason_since_and_links(committees, client):
    member, chair = committees["member_a"], committees["chair_a"]
    net_a = committees["net_a"]
    add_draft_charter(committees["net_b"], committees["chair_b"], title="ข้อบังคับของตำบลอื่น")

    draft = add_draft_charter(net_a, member, title="ร่างที่ยังไม่ส่ง")
    certified = add_minutes(net_a, member, 1)
    submit(certified, member)
    act(certified, chair)
    sent_back = add_minutes(net_a, member, 2)
    submit(sent_back, member)
    act(sent_back, chair, "reject", comment="ขอให้เพิ่มรายชื่อผู้เข้าประชุม")
    waiting = add_minutes(net_a, member, 3)
    submit(waiting, member)
    rejected = add_draft_charter(net_a, member, title="ข้อบังคับที่ถูกปฏิเสธ")
    to_provincial_review(committees, rejected, certified)
    act(rejected, committees["officer"], "reject_application", comment="ยังดำเนินงานไม่ครบหนึ่งปี")

    with translation.override("en"):
        rows, sections = rows_by_title(member)
        assert [s.network for s in sections] == [net_a]
        assert "ข้อบังคับของตำบลอื่น" not in rows  # another network's document

        assert rows[draft.title].state.kind == "draft"
        assert str(rows[draft.title].state.label) == "draft"
        assert rows[certified.title].state.kind == "approved"
        assert str(rows[certified.title].state.label) == "certified"
        assert rows[certified.title].live_url

        row = rows[sent_back.title]
        assert row.state.kind == "changes_requested" and row.state.step_key == "minutes_certification"
        assert str(row.state.label) == "changes requested at “Minutes certification”"
        assert row.state.reason == "ขอให้เพิ่มรายชื่อผู้เข้าประชุม"
        assert row.state.by == chair and row.state.since is not None

        row = rows[waiting.title]
        assert row.state.kind == "in_review" and row.state.step_key == "minutes_certification"
        assert str(row.state.label) == "Awaiting certification"
        assert row.state.by == member  # who submitted it

        row = rows[rejected.title]
        assert row.state.kind == "rejected" and row.state.step_key == "provincial_review"
        assert str(row.state.label) == "application rejected at “Provincial review”"
        assert row.state.reason == "ยังดำเนินงานไม่ครบหนึ่งปี" and row.state.by == committees["officer"]
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


def test_registered_charter_shows_its_number(committees):
    registrar = factories.make_registrar()
    charter = add_draft_charter(committees["net_a"], committees["member_a"])
    adopting = add_minutes(committees["net_a"], committees["member_a"], 1, certified=True)
    to_provincial_review(committees, charter, adopting)
    act(charter, committees["officer"], **CHECKLIST)
    act(charter, registrar, conditions="")

    rows, sections = rows_by_title(committees["chair_a"])
    assert rows[charter.title].state.kind == "registered"
    assert sections[0].registration_number.startswith("57-")


def test_no_panel_for_people_outside_committees(committees, client):
    client.force_login(committees["officer"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="my-network-documents-section"' not in html
    assert NetworkDocuments(committees["officer"]).sections() == []


def render_panel(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return MyNetworkDocumentsPanel(NetworkDocuments(user, request).sections()).render_html({"request": request})


def make_documents(committees, count, first_number):
    """`count` minutes of network A, in turn waiting, sent back with a reason, and certified."""
    member, chair = committees["member_a"], committees["chair_a"]
    for i in range(count):
        minutes = add_minutes(committees["net_a"], member, first_number + i)
        submit(minutes, member)
        if i % 3 == 1:
            act(minutes, chair, "reject", comment=f"แก้ไขข้อ {i}")
        elif i % 3 == 2:
            act(minutes, chair)


def test_queries_do_not_grow_with_documents(committees, django_assert_max_num_queries):
    member = committees["member_a"]
    add_draft_charter(committees["net_a"], member)
    make_documents(committees, 3, first_number=1)
    with django_assert_max_num_queries(10) as few:
        html = render_panel(get_user_model().objects.get(pk=member.pk))
    assert html.count("data-document-state=") == 4

    make_documents(committees, 12, first_number=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = render_panel(get_user_model().objects.get(pk=member.pk))
    assert html.count("data-document-state=") == 16
    assert html.count('data-document-state="changes_requested"') == 5
