"""The permission matrix, generated: every role × every admin action × every state of a charter, the
expected answer as data in one table (EXPECTED below), each cell judged by the database afterwards (did
the page, a revision, a workflow state or a row change?), never by the status code alone.

The world is built once per module; each cell runs inside a savepoint rolled back after it, so every
cell starts from the same database. Run: `.venv/bin/pytest tests/hardening/test_permission_matrix.py -s`
(prints the size and the unexpected allows / denies).
"""

import datetime
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction, Revision, TaskState, WorkflowState

from networks.models import HomePage
from pages.models import ActionPlanPage, CharterPage, MinutesAttachment
from people.models import CommitteeMembership, SupportStaffAssignment
from registry.models import RegistrationAnnouncement, RegistryEntry
from tests import factories
from tests.public.conftest import kept_while_in_scope
from tests.workflows.conftest import CHECKLIST_ALL, charter_form_data, current_task_state, login, run_to

from .conftest import signed_in_sessions

# No cell reads `response.context`: the client need not keep it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_templates_not_kept")]

ROLES = (
    "chair", "secretary", "member",  # the committee of the document's own network (a tambon fund)
    "parent",  # the committee of the provincial network above it
    "other",  # the committee of another tambon fund in the same district
    "local", "other_local",  # the local office serving the fund; the one serving the other fund
    "officer", "other_officer",  # the provincial officer of Chiang Rai; of Samut Prakan
    "registrar", "support", "support_ended", "admin", "anonymous",
)
STATES = ("draft", "committee", "adoption", "local", "provincial", "registration", "registered")
STEPS = ("committee", "adoption", "local", "provincial", "registration")

COMMITTEE = {"chair", "secretary", "member"}
CHAIR_SEC = {"chair", "secretary"}
STEP_ACTORS = {
    "committee": CHAIR_SEC, "adoption": CHAIR_SEC, "local": {"local"}, "provincial": {"officer"},
    "registration": {"registrar"},
}


def _by_state(**states):
    """{state: roles}, states not named: nobody."""
    return {state: set(states.get(state, ())) for state in STATES}


# THE TABLE: action -> state -> the roles that may do it. Everything else must be refused.
EXPECTED = {
    # Open the editor (GET 200 with the form).
    "view_edit": _by_state(
        draft=COMMITTEE | {"admin"},
        **{step: COMMITTEE | STEP_ACTORS[step] | {"admin"} for step in STEPS},
        registered=COMMITTEE | {"admin"},
    ),
    # Save a draft: a new revision with the posted title. Text is frozen after the committee steps.
    "save_draft": _by_state(
        draft=COMMITTEE | {"admin"}, committee=CHAIR_SEC, adoption=CHAIR_SEC, registered=COMMITTEE | {"admin"},
    ),
    # Submit for approval (a workflow starts): the draft, and an amendment of the registered charter;
    # never a second workflow while one is on its road.
    "submit": _by_state(draft=COMMITTEE | {"admin"}, registered=COMMITTEE | {"admin"}),
    # Approve / request changes at the current step (the task state leaves "in progress").
    "approve": _by_state(**{step: STEP_ACTORS[step] for step in STEPS}),
    "request_changes": _by_state(**{step: STEP_ACTORS[step] for step in STEPS if step != "local"}),
    # Withdraw: cancel the workflow from the editor. Every drafter (issue 9); not the administrator,
    # who is no drafter (Wagtail offers it to the submitter, the owner and the step's actors).
    "withdraw": _by_state(**{step: COMMITTEE for step in STEPS}),
    # Delete the page (committees delete their own drafts, never a live page).
    "delete": _by_state(draft=COMMITTEE | {"admin"}, **{step: {"admin"} for step in STEPS}, registered={"admin"}),
    "unpublish": _by_state(registered={"admin"}),
    # Move it under another network; copy it there.
    "move": _by_state(**{state: {"admin"} for state in STATES}),
    "copy": _by_state(**{state: {"admin"} for state in STATES}),
    # Revert to the first revision (a new revision).
    "revert": _by_state(
        draft=COMMITTEE | {"admin"}, committee=CHAIR_SEC, adoption=CHAIR_SEC, registered=COMMITTEE | {"admin"},
    ),
    "lock": _by_state(**{state: {"admin"} for state in STATES}),
    "privacy": _by_state(**{state: {"admin"} for state in STATES}),
    # Add a document (an action plan) under the charter's network.
    "add_child": _by_state(**{state: COMMITTEE | {"admin"} for state in STATES}),
    # Wagtail's history and a revision of the draft: those who may edit (the others read them in
    # the read-only view, "read_document").
    "history": _by_state(**{state: COMMITTEE | {"admin"} for state in STATES}),
    # The read-only view (pages.reading): the draft, its history and a revision, without the right to write.
    "read_document": _by_state(
        **{state: COMMITTEE | {"parent", "local", "officer", "registrar", "support", "admin"} for state in STATES}
    ),
    # Wagtail's admin API: the page's draft title.
    "admin_api": _by_state(**{state: COMMITTEE | {"admin"} for state in STATES}),
}
# Not tied to the charter's state: the minutes' attachment before publication, and the role records.
EXPECTED_OTHER = {
    "download_unpublished_attachment": COMMITTEE | {"local", "officer", "registrar", "support", "admin"},
    "membership_create_own_province": {"officer", "admin"},
    "membership_create_other_province": {"admin"},
    "membership_change": {"officer", "admin"},
    "officer_assignment_change": {"admin"},
    "registry_revoke": {"registrar"},
    "registry_announce": {"registrar"},
}


def build_world():
    tree = factories.small_tree(HomePage.objects.get())
    chiang_rai, fund, samut_prakan = tree["chiang_rai"], tree["wiang"], tree["samut_prakan"]
    other_fund = factories.add_network(tree["mueang_cr"], "กองทุนสวัสดิการชุมชนตำบลรอบเวียง", "tambon", "570102")
    for page in (*tree.values(), other_fund):
        page.save_revision().publish()
    support = factories.make_user("mx_support")
    SupportStaffAssignment.objects.create(user=support, office_name="พอช. ภาคเหนือ")
    support_ended = factories.make_user("mx_support_ended")
    SupportStaffAssignment.objects.create(
        user=support_ended, started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2021, 1, 1)
    )
    users = {
        "chair": factories.make_committee_member(fund, "mx_chair", "chair"),
        "secretary": factories.make_committee_member(fund, "mx_secretary", "secretary"),
        "member": factories.make_committee_member(fund, "mx_member", "member"),
        "parent": factories.make_committee_member(chiang_rai, "mx_parent", "chair"),
        "other": factories.make_committee_member(other_fund, "mx_other", "chair"),
        "local": factories.make_local_office("mx_local", fund, "อบต.เวียง"),
        "other_local": factories.make_local_office("mx_other_local", other_fund, "อบต.รอบเวียง"),
        "officer": factories.make_provincial_officer("mx_officer", "57"),
        "other_officer": factories.make_provincial_officer("mx_other_officer", "11"),
        "registrar": factories.make_registrar("mx_registrar"),
        "support": support,
        "support_ended": support_ended,
        "admin": factories.make_user("mx_admin", is_superuser=True, is_staff=True),
        "anonymous": None,
    }
    # One meeting's resolution adopts one text: each charter on the road has its own adopting meeting
    # (the draft, never submitted, needs none).
    adopting_for = {
        state: factories.add_adopting_minutes(fund, 11 + i, present=4)
        for i, state in enumerate(STATES) if state != "draft"
    }
    adopting = adopting_for["adoption"]  # what the matrix's adoption cites
    client = Client()
    charters = {}
    for state in STATES:
        charter = factories.add_charter(
            fund, f"ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง ({state})", author=users["member"],
            version_label=f"ฉบับ {state}",
        )
        charter.save_revision(user=users["member"])  # a second revision, for "revert"
        if state != "draft":
            road = {
                "charter": charter, "member_a": users["member"], "chair_a": users["chair"],
                "secretary_a": users["secretary"], "minutes_a": adopting_for[state], "local_a": users["local"],
                "officer_57": users["officer"], "registrar": users["registrar"],
            }
            run_to(client, road, "done" if state == "registered" else state)
        charters[state] = CharterPage.objects.get(pk=charter.pk)
    assert charters["registered"].live
    assert RegistryEntry.objects.filter(network=fund, revoked_on__isnull=True).count() == 1
    minutes = factories.add_minutes(fund, 7, date=datetime.date(2026, 5, 1), author=users["member"])
    document = Document.objects.create(title="ใบลงชื่อ", file=ContentFile(b"%PDF-1.4 matrix", name="sign-in.pdf"))
    MinutesAttachment.objects.create(page=minutes, document=document)
    memberships = {
        "own": CommitteeMembership.objects.get(user=users["member"]),
    }
    return {
        "users": users, "sessions": signed_in_sessions(users), "charters": charters, "fund": fund,
        "other_fund": other_fund, "samut_prakan": samut_prakan,
        "chiang_rai": chiang_rai, "document": document, "memberships": memberships,
        "forms": _forms_of(client, users["member"], charters),
        "candidate": _created_by(factories.make_user("mx_candidate"), users["officer"]),
        "adopting": adopting,
    }


def _created_by(user, officer):
    """An account the officer created (Wagtail logs it): a person connected to the officer's province."""
    log(user, "wagtail.create", user=officer)
    return user


def _forms_of(client, member, charters):
    """{state: the edit form of that state's charter, as the member sees it}."""
    login(client, member)
    forms = {state: charter_form_data(client, charter) for state, charter in charters.items()}
    client.logout()
    return forms


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, rendered_templates_not_kept):
    with kept_while_in_scope(django_db_blocker, build_world) as built:
        yield built


# --- Each action: do it as `user`, say whether the database changed -----------------------------


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _new_revision_titled(page, before, title):
    latest = Revision.objects.for_instance(page).order_by("-pk").first()
    return Revision.objects.for_instance(page).count() > before and latest.content.get("title") == title


def act_view_edit(client, world, state, role):
    page = world["charters"][state]
    response = client.get(edit_url(page))
    return response.status_code == 200 and b'id="page-edit-form"' in response.content


def act_save_draft(client, world, state, role):
    page = world["charters"][state]
    before = Revision.objects.for_instance(page).count()
    title = f"แก้ไขโดย {role}"
    client.post(edit_url(page), dict(world["forms"][state], title=title))
    return _new_revision_titled(page, before, title)


def act_submit(client, world, state, role):
    page = world["charters"][state]
    # A workflow started: a new workflow state, whatever became of the one already on the road.
    started = set(WorkflowState.objects.for_instance(page).values_list("pk", flat=True))
    client.post(edit_url(page), dict(world["forms"][state], **{"action-submit": "1"}))
    return WorkflowState.objects.for_instance(page).exclude(pk__in=started).exists()


STEP_DATA = {
    "committee": {"comment": "ผ่าน"},
    "local": {"comment": "อบต.เห็นควรสนับสนุน"},
    "provincial": CHECKLIST_ALL,
    "registration": {"conditions": ""},
}


def _decide(client, world, state, action, data):
    page = world["charters"][state]
    task_state = current_task_state(page)
    if task_state is None:
        return False
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    client.post(url, data)
    return TaskState.objects.get(pk=task_state.pk).status != TaskState.STATUS_IN_PROGRESS


def act_approve(client, world, state, role):
    data = dict(STEP_DATA.get(state, {}))
    if state == "adoption":
        data = {"minutes": world["adopting"].pk, "agenda_item": world["adopting"].adoption_item.pk}
    return _decide(client, world, state, "approve", data)


def act_request_changes(client, world, state, role):
    return _decide(client, world, state, "reject", {"comment": "แก้ไขหมวด ๒", **CHECKLIST_ALL})


def act_withdraw(client, world, state, role):
    page = world["charters"][state]
    running = WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_IN_PROGRESS)
    if not running.exists():
        return False
    client.post(edit_url(page), dict(world["forms"][state], **{"action-cancel-workflow": "true"}))
    return not running.exists()


def act_delete(client, world, state, role):
    page = world["charters"][state]
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    return not Page.objects.filter(pk=page.pk).exists()


def act_unpublish(client, world, state, role):
    page = world["charters"][state]
    was_live = Page.objects.get(pk=page.pk).live
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    return was_live and not Page.objects.get(pk=page.pk).live


def act_move(client, world, state, role):
    page = world["charters"][state]
    destination = world["other_fund"]
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))
    return Page.objects.get(pk=page.pk).get_parent().pk == destination.pk


def act_copy(client, world, state, role):
    page = world["charters"][state]
    before = CharterPage.objects.count()
    client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), {
        "new_title": "สำเนา", "new_slug": f"copy-{role}", "new_parent_page": world["other_fund"].pk,
    })
    return CharterPage.objects.count() > before


def act_revert(client, world, state, role):
    page = world["charters"][state]
    first = Revision.objects.for_instance(page).order_by("pk").first()
    before = Revision.objects.for_instance(page).count()
    title = f"ย้อนโดย {role}"
    client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]),
        dict(world["forms"][state], title=title),
    )
    return _new_revision_titled(page, before, title)


def act_lock(client, world, state, role):
    page = world["charters"][state]
    client.post(reverse("wagtailadmin_pages:lock", args=[page.pk]))
    return Page.objects.get(pk=page.pk).locked


def act_privacy(client, world, state, role):
    page = world["charters"][state]
    client.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), {"restriction_type": "login"})
    return PageViewRestriction.objects.filter(page_id=page.pk).exists()


def act_add_child(client, world, state, role):
    fund = world["fund"]
    before = ActionPlanPage.objects.filter(network=fund).count()
    client.post(reverse("wagtailadmin_pages:add", args=["pages", "actionplanpage", fund.pk]), {
        "title": f"แผนของ {role}", "fiscal_year": "2570", "goals": "", "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0", "activities-MIN_NUM_FORMS": "0", "activities-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    })
    return ActionPlanPage.objects.filter(network=fund).count() > before


# Both pages must open for the cell to count as allowed: once the first is refused the second cannot
# change the answer, so it is asked for only when the first opened.


def act_history(client, world, state, role):
    page = world["charters"][state]
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    if history.status_code != 200:
        return False
    latest = Revision.objects.for_instance(page).order_by("-pk").first()
    revision = client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, latest.pk]))
    return revision.status_code == 200


def act_read_document(client, world, state, role):
    page = world["charters"][state]
    latest = Revision.objects.for_instance(page).order_by("-pk").first()
    listing = client.get(reverse("pages_read_document", args=[page.pk]))
    if listing.status_code != 200:
        return False
    draft = client.get(reverse("pages_read_revision", args=[page.pk, latest.pk]))
    return draft.status_code == 200 and page.title.encode() in draft.content


def act_admin_api(client, world, state, role):
    page = world["charters"][state]
    response = client.get(f"/admin/api/main/pages/{page.pk}/")
    return response.status_code == 200 and page.title.encode() in response.content


ACTIONS = {name[len("act_"):]: function for name, function in globals().items() if name.startswith("act_")}


def act_download_unpublished_attachment(client, world, role):
    return client.get(world["document"].url).status_code == 200


def _membership_form(user, network):
    return {"user": user.pk, "network": network.pk, "role": "member", "started_on": "2026-01-01", "ended_on": "", "note": ""}


def act_membership_create_own_province(client, world, role):
    client.post(reverse("committee_memberships:add"), _membership_form(world["candidate"], world["fund"]))
    return CommitteeMembership.objects.filter(user=world["candidate"]).exists()


def act_membership_create_other_province(client, world, role):
    client.post(reverse("committee_memberships:add"), _membership_form(world["candidate"], world["samut_prakan"]))
    return CommitteeMembership.objects.filter(user=world["candidate"]).exists()


def act_membership_change(client, world, role):
    membership = world["memberships"]["own"]
    client.post(reverse("committee_memberships:edit", args=[membership.pk]), {
        "role": "secretary", "started_on": membership.started_on.isoformat(), "ended_on": "", "note": "",
    })
    return CommitteeMembership.objects.get(pk=membership.pk).role == "secretary"


def act_officer_assignment_change(client, world, role):
    from people.models import ProvincialOfficerAssignment

    assignment = ProvincialOfficerAssignment.objects.get(user=world["users"]["officer"])
    client.post(reverse("provincial_officer_assignments:edit", args=[assignment.pk]), {
        "province_code": "11", "started_on": assignment.started_on.isoformat(), "ended_on": "", "note": "",
    })
    return ProvincialOfficerAssignment.objects.get(pk=assignment.pk).province_code == "11"


def act_registry_revoke(client, world, role):
    entry = RegistryEntry.objects.get(network=world["fund"])
    client.post(reverse("registryentry:revoke", args=[entry.pk]), {"reason": "ไม่มีผลการดำเนินงาน", "revoked_on": ""})
    return RegistryEntry.objects.get(pk=entry.pk).revoked_on is not None


def act_registry_announce(client, world, role):
    before = RegistrationAnnouncement.objects.count()
    client.post(reverse("registrationannouncement:issue"), {"issued_on": ""})
    return RegistrationAnnouncement.objects.count() > before


OTHER_ACTIONS = {
    name: globals()[f"act_{name}"] for name in EXPECTED_OTHER
}


# One client for every cell, its cookies emptied before each: a new client loads the middleware again on
# its first request (some 2 % of the matrix's time).
CLIENT = Client(raise_request_exception=False)


def _run_cell(world, role, do, *args):
    """Do one thing as `role` (`do(client, *args)`) in a savepoint rolled back afterwards; True when it
    changed the database."""
    client = CLIENT
    client.cookies = SimpleCookie()
    if world["users"][role] is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    with transaction.atomic():
        try:
            return bool(do(client, *args))
        finally:
            transaction.set_rollback(True)


RESULTS = {"cells": 0, "unexpected_allows": [], "unexpected_denies": []}


def _judge(label, role, allowed, expected):
    RESULTS["cells"] += 1
    if allowed and not expected:
        RESULTS["unexpected_allows"].append((label, role))
    if expected and not allowed:
        RESULTS["unexpected_denies"].append((label, role))
    return allowed == expected


def test_the_table_covers_every_action_state_and_role():
    assert set(EXPECTED) == set(ACTIONS)
    for action, by_state in EXPECTED.items():
        assert set(by_state) == set(STATES), action
        for roles in by_state.values():
            assert roles <= set(ROLES), (action, roles - set(ROLES))
    assert set(OTHER_ACTIONS) == set(EXPECTED_OTHER)


@pytest.mark.parametrize("action", list(EXPECTED))
def test_matrix(world, action):
    wrong = []
    for state in STATES:
        for role in ROLES:
            allowed = _run_cell(world, role, ACTIONS[action], world, state, role)
            if not _judge(f"{action}@{state}", role, allowed, role in EXPECTED[action][state]):
                wrong.append((state, role, "allowed" if allowed else "refused"))
    assert not wrong, wrong


@pytest.mark.parametrize("action", list(EXPECTED_OTHER))
def test_matrix_outside_the_road(world, action):
    wrong = []
    for role in ROLES:
        allowed = _run_cell(world, role, OTHER_ACTIONS[action], world, role)
        if not _judge(action, role, allowed, role in EXPECTED_OTHER[action]):
            wrong.append((role, "allowed" if allowed else "refused"))
    assert not wrong, wrong


def test_zz_report():
    """Printed with -s: the matrix's size and what it found (the README's security figures)."""
    print(
        f"\npermission matrix: {RESULTS['cells']} cells ({len(ROLES)} roles × {len(EXPECTED)} actions × "
        f"{len(STATES)} states + {len(EXPECTED_OTHER)} × {len(ROLES)}); unexpected allows: "
        f"{len(RESULTS['unexpected_allows'])} {RESULTS['unexpected_allows']}; unexpected denies: "
        f"{len(RESULTS['unexpected_denies'])} {RESULTS['unexpected_denies']}"
    )
    assert not RESULTS["unexpected_allows"]
