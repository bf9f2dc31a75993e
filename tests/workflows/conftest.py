import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState

from networks.models import HomePage
from tests.factories import (
    add_adopting_minutes,
    add_charter,
    add_network,
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    make_registrar,
)
from tests.people.formdata import page_edit_form
from tests.scoped import refetched


@pytest.fixture
def world(_workflows_world, db):
    """Two tambon networks A and B in Chiang Rai (57), and a user for every role the rules name: built once
    per test module (`_workflows_world`, tests/conftest.py), read again for each test. (Transactional tests
    build their own.)"""
    return refetched(_workflows_world)


def build_world():
    home = HomePage.objects.get()
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    district = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    net_a = add_network(district, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101", name_en="Wiang Tambon Fund")
    net_b = add_network(district, "กองทุนสวัสดิการชุมชนตำบลรอบเวียง", "tambon", "570102")

    def mail(name):
        return {"email": f"{name}@example.org"}

    users = {
        "member_a": make_committee_member(net_a, "member_a", "member", **mail("member_a")),
        "chair_a": make_committee_member(net_a, "chair_a", "chair", **mail("chair_a")),
        "secretary_a": make_committee_member(net_a, "secretary_a", "secretary", **mail("secretary_a")),
        "chair_b": make_committee_member(net_b, "chair_b", "chair", **mail("chair_b")),
        "local_a": make_local_office("local_a", net_a, "อบต.เวียง", **mail("local_a")),
        "officer_57": make_provincial_officer("officer_57", "57", **mail("officer_57")),
        "officer_11": make_provincial_officer("officer_11", "11", **mail("officer_11")),
        "registrar": make_registrar("registrar", **mail("registrar")),
    }
    title = "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง"
    charter = add_charter(net_a, title, clauses=[f"ข้อบังคับนี้เรียกว่า {title}"], author=users["member_a"])
    return {
        "net_a": net_a,
        "net_b": net_b,
        "charter": charter,
        "minutes_a": add_adopting_minutes(net_a, 1, present=3),
        "inquorate_a": add_adopting_minutes(net_a, 2, present=2),
        "minutes_b": add_adopting_minutes(net_b, 1, present=4),
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
    data = page_edit_form(client, charter)
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
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


error_messages = _error_messages


def th(msgid, **params):
    """A message as a Thai user sees it (the admin's default language), formatted like the code does."""

    with translation.override("th"):
        text = translation.gettext(msgid)
        return text % params if params else text
