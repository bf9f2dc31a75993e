import sys

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
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


def submit_via_editor(client, charter, form=None, **changes):
    """Submit the charter from its editor; `form`: the editor's form when already scraped at this state."""
    data = dict(form) if form is not None else charter_form_data(client, charter)
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


ROAD = ["committee", "adoption", "local", "provincial", "registration", "done"]


def run_to(client, world, step, draft_form=None):
    """Drive the charter through the admin up to (not including) `step`:
    committee, adoption, local, provincial, registration, done. `draft_form`: member_a's editor form of
    the draft, when already scraped."""
    order = ROAD
    charter = world["charter"]
    if current_task_state(charter) is None:
        response = submit_via_editor(login(client, world["member_a"]), charter, form=draft_form)
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


# --- The charter walked once per module -------------------------------------------------------------
#
# A test marked `@pytest.mark.walked_to("provincial")` starts with the world's charter at that state,
# reached through the admin by `run_to` exactly as if the test had called it first. The walk is made
# once per module and held in a savepoint above the world, each state reached on top of the one before
# (a stack along the road); the test's own transaction is a savepoint inside it. A test at an earlier
# state (an unmarked test: the draft) rolls the later states back first; one at a later state walks on.
# The tests of a module are run in the road's order (unmarked first) so that each state is walked once.


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "walked_to(state): the world's charter starts at `state` of the road (tests/workflows)"
    )


def _road_position(item):
    marker = item.get_closest_marker("walked_to")
    return ROAD.index(marker.args[0]) if marker else -1


def pytest_collection_modifyitems(items):
    """Each module's tests of this folder in the road's order of their `walked_to` (stable otherwise)."""
    here = str(__file__).rsplit("/", 1)[0] + "/"
    start = 0
    while start < len(items):
        end = start
        while end < len(items) and items[end].parent is items[start].parent:
            end += 1
        if str(items[start].path).startswith(here):
            items[start:end] = sorted(items[start:end], key=_road_position)
        start = end


class Roadside:
    """The states of the road reached in this module, each held in a savepoint over the one before."""

    def __init__(self, built, django_db_blocker):
        self.built = built
        self.django_db_blocker = django_db_blocker
        self.held = []  # [(state, open atomic block)], along the road
        self._draft_form = None

    def draft_form(self):
        """The draft charter's edit form as its drafter (member_a) has it, scraped once."""
        if self._draft_form is None:
            self.stand_at(None)
            with self.django_db_blocker.unblock(), transaction.atomic():
                client = login(Client(), self.built["member_a"])
                self._draft_form = charter_form_data(client, self.built["charter"])
                transaction.set_rollback(True)  # the login's session and last_login
        return self._draft_form

    def has_draft_form(self):
        return self._draft_form is not None

    def stand_at(self, state):
        """Leave the charter at `state` (None: the draft), walking on or rolling back as needed."""
        wanted = ROAD.index(state) if state else -1
        with self.django_db_blocker.unblock():
            while self.held and ROAD.index(self.held[-1][0]) > wanted:
                self._roll_back_last()
            if state and not (self.held and self.held[-1][0] == state):
                hold = transaction.atomic()
                hold.__enter__()
                try:
                    draft_form = None if self.held else self.draft_form()
                    run_to(Client(), refetched(self.built), state, draft_form=draft_form)
                except BaseException:
                    hold.__exit__(*sys.exc_info())
                    raise
                self.held.append((state, hold))

    def _roll_back_last(self):
        _state, hold = self.held.pop()
        transaction.set_rollback(True)
        hold.__exit__(None, None, None)


_ROADSIDES = {}  # module name: its Roadside, while the module's tests run


@pytest.fixture(scope="module")
def _roadside(request, _workflows_world, django_db_blocker):
    roadside = _ROADSIDES[request.module.__name__] = Roadside(_workflows_world, django_db_blocker)
    yield roadside
    roadside.stand_at(None)
    del _ROADSIDES[request.module.__name__]


@pytest.fixture(scope="class", autouse=True)
def _walked_to(request):
    """Before the test's own transaction opens (a module-level test's class scope is the test itself,
    set up before every function-scoped fixture): the charter at the test's `walked_to` state."""
    marker = request.node.get_closest_marker("walked_to")
    if marker:
        assert "world" in request.fixturenames, "walked_to walks the charter of the fixture `world`"
    if marker or "drafters_form" in request.fixturenames:
        roadside = request.getfixturevalue("_roadside")
    else:
        roadside = _ROADSIDES.get(request.module.__name__)
    if roadside:
        if "drafters_form" in request.fixturenames:
            roadside.draft_form()  # scraped in the draft, before the walk
        roadside.stand_at(marker.args[0] if marker else None)


@pytest.fixture
def drafters_form(_roadside, world):
    """The draft charter's edit form as its drafter (member_a) has it in the editor: scraped once per
    module, in the draft (before any walk along the road)."""
    assert _roadside.has_draft_form(), "scraped by `_walked_to`, before the test's transaction opened"
    return dict(_roadside.draft_form())
