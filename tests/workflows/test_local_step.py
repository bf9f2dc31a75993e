"""The local step of a provincial network's application is taken by the provincial administrative
organization (อบจ.) of that province, through the admin's real endpoints: it is told, it finds the
application in its queue, it comments and forwards. The อบจ. of another province, and the อบจ. for a
tambon's application (which belongs to the tambon's own อบต.), can do nothing."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from networks.models import HomePage
from outbox.models import OutboxMessage
from outbox.relay import relay_pending
from tests.factories import (
    add_adopting_minutes,
    add_charter,
    make_committee_member,
    make_local_office,
    make_provincial_officer,
    small_tree,
)
from tests.scoped import built_once_per_module, refetched
from tests.workflows.conftest import (
    action_url,
    current_task_state,
    decide,
    edit_url,
    error_messages,
    login,
    submit_via_editor,
)
from workflows.models import DecisionKind, StepDecision

pytestmark = pytest.mark.django_db


def draft_charter(network, title, author):
    return add_charter(network, title, clauses=[f"ข้อบังคับนี้เรียกว่า {title}"], author=author)


def build_provinces():
    tree = small_tree(HomePage.objects.get())
    chiang_rai, wiang, samut_prakan = tree["chiang_rai"], tree["wiang"], tree["samut_prakan"]

    def mail(name):
        return {"email": f"{name}@example.org"}

    people = {
        name: make_committee_member(network, name, role, **mail(name))
        for name, network, role in (
            ("cr_member", chiang_rai, "member"), ("cr_chair", chiang_rai, "chair"),
            ("cr_secretary", chiang_rai, "secretary"), ("wiang_member", wiang, "member"),
            ("wiang_chair", wiang, "chair"), ("wiang_secretary", wiang, "secretary"),
        )
    }
    people["abj_57"] = make_local_office("abj_57", chiang_rai, "องค์การบริหารส่วนจังหวัดเชียงราย", **mail("abj_57"))
    people["abj_11"] = make_local_office("abj_11", samut_prakan, "องค์การบริหารส่วนจังหวัดสมุทรปราการ", **mail("abj_11"))
    people["obt_wiang"] = make_local_office("obt_wiang", wiang, "อบต.เวียง", **mail("obt_wiang"))
    people["officer_57"] = make_provincial_officer("officer_57", "57", **mail("officer_57"))
    return {
        "chiang_rai": chiang_rai,
        "wiang": wiang,
        "samut_prakan": samut_prakan,
        "cr_charter": draft_charter(chiang_rai, "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", people["cr_member"]),
        "cr_minutes": add_adopting_minutes(chiang_rai, 1, present=3),
        "wiang_charter": draft_charter(wiang, "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลเวียง", people["wiang_member"]),
        "wiang_minutes": add_adopting_minutes(wiang, 1, present=3),
        **people,
    }


_provinces = built_once_per_module(build_provinces)


@pytest.fixture
def provinces(_provinces, db):
    """Two provinces, each with its provincial administrative organization (อบจ.) as a local office, and a
    tambon with its own อบต., to show whose application each office comments on: built once per module,
    read again per test."""
    return refetched(_provinces)


def is_denied(response):
    """Wagtail answers a refused workflow action with 403, or with a redirect home and an error message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def to_local_step(client, provinces, prefix):
    """Submit the charter of `prefix` ("cr" or "wiang") and take it through its committee's two steps."""
    charter, minutes = provinces[f"{prefix}_charter"], provinces[f"{prefix}_minutes"]
    assert submit_via_editor(login(client, provinces[f"{prefix}_member"]), charter).status_code == 302
    for user, data in (
        (provinces[f"{prefix}_chair"], {"comment": ""}),
        (provinces[f"{prefix}_secretary"], {"minutes": minutes.pk, "agenda_item": minutes.adoption_item.pk}),
    ):
        response = decide(client, user, charter, **data)
        assert response.status_code == 302 and not error_messages(client, response)
    task_state = current_task_state(charter)
    assert type(task_state.task.specific).__name__ == "LocalGovernmentCommentTask"
    relay_pending()  # the test's transaction never commits: hand the e-mails over as the relay does
    return charter, task_state


def told_that_it_waits(task_state):
    message = OutboxMessage.objects.get(dedupe_key=f"workflows:waiting:{task_state.pk}")
    return set(message.payload["to"])


def awaiting_my_action(client, user):
    html = login(client, user).get(reverse("wagtailadmin_home")).content.decode()
    return html[html.index('id="awaiting-my-action-section"'):] if 'id="awaiting-my-action-section"' in html else ""


def test_provincial_application_is_commented_on_by_its_own_abj(provinces, client):
    charter, task_state = to_local_step(client, provinces, "cr")
    task = task_state.task.specific
    abj_57, abj_11, obt = provinces["abj_57"], provinces["abj_11"], provinces["obt_wiang"]

    # Told, and only it: not the อบจ. of Samut Prakan, not the อบต. of a tambon in the province.
    assert told_that_it_waits(task_state) == {"abj_57@example.org"}
    assert set(task.get_actor_users(charter)) == {abj_57}
    assert list(task.get_task_states_user_can_moderate(abj_57)) == [task_state]
    assert not task.get_task_states_user_can_moderate(abj_11).exists()
    assert not task.get_task_states_user_can_moderate(obt).exists()
    assert reverse("wagtailadmin_pages:edit", args=[charter.pk]) in awaiting_my_action(client, abj_57)
    assert reverse("wagtailadmin_pages:edit", args=[charter.pk]) not in awaiting_my_action(client, abj_11)

    # Another province's อบจ. and a tambon's อบต. are refused on the server, and nothing changes.
    for outsider in (abj_11, obt):
        login(client, outsider)
        assert is_denied(client.get(action_url(charter, "approve", task_state), HTTP_X_REQUESTED_WITH="XMLHttpRequest"))
        assert is_denied(client.post(action_url(charter, "approve", task_state), {"comment": "ปลอม"}))
        assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert login(client, abj_57).get(edit_url(charter)).status_code == 200

    # A comment is required: an empty one is refused and the application stays.
    response = decide(client, abj_57, charter, xhr=True, comment="  ")
    assert response.status_code == 200
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS

    comment = "องค์การบริหารส่วนจังหวัดเชียงรายเห็นควรสนับสนุนการขอรับรอง"
    response = decide(client, abj_57, charter, comment=comment)
    assert response.status_code == 302 and not error_messages(client, response)
    decision = StepDecision.objects.get(task_state=task_state)
    assert (decision.kind, decision.decided_by, decision.comment) == (DecisionKind.APPROVED, abj_57, comment)
    assert type(current_task_state(charter).task.specific).__name__ == "ProvincialReviewTask"


def test_a_tambon_application_is_not_the_abj_business(provinces, client):
    charter, task_state = to_local_step(client, provinces, "wiang")
    task = task_state.task.specific
    abj_57, obt = provinces["abj_57"], provinces["obt_wiang"]

    assert told_that_it_waits(task_state) == {"obt_wiang@example.org"}
    assert set(task.get_actor_users(charter)) == {obt}
    assert not task.get_task_states_user_can_moderate(abj_57).exists()
    login(client, abj_57)
    assert is_denied(client.post(action_url(charter, "approve", task_state), {"comment": "ปลอม"}))
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS

    response = decide(client, obt, charter, comment="อบต.เวียงเห็นควรสนับสนุน")
    assert response.status_code == 302 and not error_messages(client, response)
    assert StepDecision.objects.get(task_state=task_state).decided_by == obt
