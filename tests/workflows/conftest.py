import datetime

import pytest
from django.urls import reverse

from networks.models import NetworkPage
from pages.models import AgendaItem, CharterPage, MeetingMinutesPage, PresentMember
from people.models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
)
from tests.people.formdata import scrape_form

PASSWORD = "pw-test-only"


def add_network(parent, title, level, area_code="", **extra):
    return parent.add_child(instance=NetworkPage(title=title, level=level, area_code=area_code, **extra))


def add_minutes(network, number, present, size=5, date=datetime.date(2026, 3, 1)):
    minutes = MeetingMinutesPage(
        title=f"รายงานการประชุม ครั้งที่ {number}",
        body_name="คณะกรรมการเครือข่าย",
        meeting_number=number,
        meeting_date=date,
        place="ศาลาประชาคม",
        committee_size=size,
        live=False,
    )
    network.add_child(instance=minutes)
    for i in range(present):
        PresentMember.objects.create(page=minutes, name=f"กรรมการ {i + 1}", position="กรรมการ", sort_order=i)
    adopt = AgendaItem.objects.create(
        page=minutes, title="พิจารณาร่างข้อบังคับ", resolution="ที่ประชุมมีมติเห็นชอบร่างข้อบังคับ", sort_order=4
    )
    minutes.adoption_item = adopt
    return minutes


@pytest.fixture
def world(home, django_user_model):
    """Two tambon networks A and B in Chiang Rai (57), and a user for every role the rules name."""
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    district = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    net_a = add_network(district, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101", name_en="Wiang Tambon Fund")
    net_b = add_network(district, "กองทุนสวัสดิการชุมชนตำบลรอบเวียง", "tambon", "570102")

    def user(name):
        return django_user_model.objects.create_user(
            username=name, password=PASSWORD, email=f"{name}@example.org"
        )

    users = {
        "member_a": user("member_a"),
        "chair_a": user("chair_a"),
        "secretary_a": user("secretary_a"),
        "chair_b": user("chair_b"),
        "local_a": user("local_a"),
        "officer_57": user("officer_57"),
        "officer_11": user("officer_11"),
        "registrar": user("registrar"),
    }
    CommitteeMembership.objects.create(user=users["member_a"], network=net_a, role="member")
    CommitteeMembership.objects.create(user=users["chair_a"], network=net_a, role="chair")
    CommitteeMembership.objects.create(user=users["secretary_a"], network=net_a, role="secretary")
    CommitteeMembership.objects.create(user=users["chair_b"], network=net_b, role="chair")
    LocalOfficeAssignment.objects.create(user=users["local_a"], network=net_a, office_name="อบต.เวียง")
    ProvincialOfficerAssignment.objects.create(user=users["officer_57"], province_code="57")
    ProvincialOfficerAssignment.objects.create(user=users["officer_11"], province_code="11")
    RegistrarAssignment.objects.create(user=users["registrar"], office_name="สำนักงาน ก.ส.ค.")

    charter = net_a.add_child(
        instance=CharterPage(
            title="ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง",
            version_label="พ.ศ. ๒๕๖๙",
            chapters=[
                ("chapter", {"title": "บททั่วไป", "clauses": ["ข้อบังคับนี้เรียกว่า ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง"]})
            ],
            live=False,
        )
    )
    charter.save_revision(user=users["member_a"])
    return {
        "net_a": net_a,
        "net_b": net_b,
        "charter": charter,
        "minutes_a": add_minutes(net_a, 1, present=3),
        "inquorate_a": add_minutes(net_a, 2, present=2),
        "minutes_b": add_minutes(net_b, 1, present=4),
        **users,
    }


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def charter_form_data(client, charter):
    """The charter's edit form as the browser posts it (the chapters' StreamField inputs are built by
    JavaScript in the browser, so they are added here from the page's current content)."""
    response = client.get(edit_url(charter))
    assert response.status_code == 200, response.status_code
    data = scrape_form(response.content.decode(), "page-edit-form")
    latest = charter.get_latest_revision_as_object()
    chapters = list(latest.chapters)
    data["chapters-count"] = str(len(chapters))
    for i, block in enumerate(chapters):
        prefix = f"chapters-{i}"
        data.update(
            {
                f"{prefix}-type": "chapter",
                f"{prefix}-deleted": "",
                f"{prefix}-order": str(i),
                f"{prefix}-id": block.id or "",
            }
        )
        data[f"{prefix}-value-title"] = block.value["title"]
        clauses = list(block.value["clauses"])
        data[f"{prefix}-value-clauses-count"] = str(len(clauses))
        for j, text in enumerate(clauses):
            data.update(
                {
                    f"{prefix}-value-clauses-{j}-value": str(text),
                    f"{prefix}-value-clauses-{j}-deleted": "",
                    f"{prefix}-value-clauses-{j}-order": str(j),
                    f"{prefix}-value-clauses-{j}-id": "",
                }
            )
    return data


def submit_via_editor(client, charter, **changes):
    data = charter_form_data(client, charter)
    data.update(changes)
    data["action-submit"] = "1"
    return client.post(edit_url(charter), data)


def current_task_state(page):
    from wagtail.models import WorkflowState

    state = WorkflowState.objects.for_instance(page).active().select_related("current_task_state").first()
    return state.current_task_state if state else None


def decide(client, user, page, action="approve", task_state=None, xhr=False, **data):
    """POST a decision through the admin's workflow action endpoint, as the action dialog does."""
    login(client, user)
    task_state = task_state or current_task_state(page)
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    return client.post(action_url(page, action, task_state), data, **headers)


CHECKLIST_ALL = {
    name: "on"
    for name in (
        "has_charter",
        "has_adopting_minutes",
        "has_committee_list",
        "has_action_plan",
        "has_member_count",
        "welfare_work_one_year",
        "office_one_year",
    )
}


def run_to(client, world, step):
    """Drive the charter through the admin up to (not including) `step`:
    committee, adoption, local, provincial, registration, done."""
    order = ["committee", "adoption", "local", "provincial", "registration", "done"]
    charter = world["charter"]
    if current_task_state(charter) is None:
        response = submit_via_editor(login(client, world["member_a"]), charter)
        assert response.status_code == 302
    moves = {
        "committee": (world["chair_a"], {"comment": ""}),
        "adoption": (
            world["secretary_a"],
            {"minutes": world["minutes_a"].pk, "agenda_item": world["minutes_a"].adoption_item.pk},
        ),
        "local": (world["local_a"], {"comment": "อบต.เวียงเห็นควรสนับสนุน"}),
        "provincial": (world["officer_57"], CHECKLIST_ALL),
        "registration": (world["registrar"], {"conditions": ""}),
    }
    # Continue from wherever the charter is now.
    current = current_task_state(charter).task.specific
    by_task = {
        "CommitteeReviewTask": "committee",
        "AssemblyAdoptionTask": "adoption",
        "LocalGovernmentCommentTask": "local",
        "ProvincialReviewTask": "provincial",
        "RegistrationTask": "registration",
    }
    start = order.index(by_task[type(current).__name__])
    for name in order[start : order.index(step)]:
        user, data = moves[name]
        response = decide(client, user, charter, **data)
        assert response.status_code == 302, (name, response.status_code)
        assert not _error_messages(client, response), (name, _error_messages(client, response))
    client.logout()


def _error_messages(client, response):
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


error_messages = _error_messages


def th(msgid, **params):
    """A message as a Thai user sees it (the admin's default language), formatted like the code does."""
    from django.utils import translation

    with translation.override("th"):
        text = translation.gettext(msgid)
        return text % params if params else text
