"""Fixtures for the public site: one province of the real tree (Chiang Rai, 57), registered
organizations made through the registry's own services, and things that must never be public."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from networks.models import NetworkLevel, NetworkPage
from pages.models import CharterPage
from registry import services
from tests.factories import LONG_AGO, add_charter, add_minutes, add_plan, load_province, make_registrar
from tests.scoped import built_once_per_module, kept_while_in_scope, refetched

__all__ = ["kept_while_in_scope"]  # also used by tests/hardening

REGISTRAR = "registrar"
# Words that appear only in things the public must not see. Each is a single Thai phrase so that a
# leak shows up in a page, a search result, a download or the API alike.
SECRETS = {
    "draft_charter": "ร่างข้อบังคับลับสุดยอด",
    "review_charter": "ข้อบังคับระหว่างพิจารณาลับ",
    "draft_amendment": "แก้ไขเพิ่มเติมยังไม่อนุมัติลับ",
    "draft_minutes": "รายงานการประชุมยังไม่รับรองลับ",
    "draft_plan": "แผนปฏิบัติการยังไม่อนุมัติลับ",
}


@pytest.fixture(autouse=True)
def _clear_cache_and_language():
    # Wagtail caches the site root paths, and a request under /en/ leaves English active in the
    # thread (page.url in a test would then get the /en/ prefix): each test starts from Thai.
    cache.clear()
    translation.activate("th")
    yield
    cache.clear()
    translation.activate("th")


@pytest.fixture(scope="package")
def _chiang_rai_tree(django_db_setup, django_db_blocker):
    """Chiang Rai's part of the real tree (143 networks), built once for the public tests that ask for it
    (other folders start from an empty tree)."""
    with kept_while_in_scope(django_db_blocker, lambda: load_province("57")) as province:
        yield province


@pytest.fixture
def tree57(_chiang_rai_tree, home):
    return NetworkPage.objects.get(level=NetworkLevel.PROVINCE, province_code="57")


def tambons(count, province_code="57"):
    return list(NetworkPage.objects.filter(level=NetworkLevel.TAMBON, province_code=province_code).order_by("path")[:count])


def register(charter, registrar, on_date):
    return services.register(charter, registrar, on_date=on_date)


def make_minutes(network, number=1, date=datetime.date(2025, 5, 14), publish=True, title=None, resolution="รับทราบ"):
    """Minutes as the public site shows them: a substitute among those present, one agenda item."""
    return add_minutes(
        network, number, title=title, date=date, publish=publish,
        body_name="คณะกรรมการเครือข่าย", start_time=datetime.time(9, 30), end_time=datetime.time(12, 0),
        place="ศาลาประชาคมหมู่บ้าน", recorder_name="นางสาวบันทึก ดี", recorder_position="เลขานุการ",
        present=[
            {"name": "นายประธาน ใจดี", "position": "ประธาน"},
            {"name": "นางสมร แทนดี", "position": "กรรมการ", "substitute_for": "นายสมชาย"},
        ],
        agenda=[{"title": "เรื่องที่ประธานแจ้งให้ทราบ", "summary": "ประธานแจ้ง", "resolution": resolution}],
    )


def make_plan(network, fiscal_year=2568, publish=True, title=None):
    """An action plan with one activity in progress and one planned."""
    return add_plan(
        network, fiscal_year, title=title, goals="พัฒนาระบบข้อมูลสมาชิก", publish=publish,
        activities=[
            {"title": "ติดตามและทบทวนการบริหารกองทุน", "area": "data", "start_date": datetime.date(2025, 5, 20),
             "end_date": datetime.date(2025, 6, 15), "budget": 12000, "budget_source": "codi",
             "responsible_person": "นายประธาน ใจดี", "status": "in_progress", "progress": 40},
            {"title": "รับสมัครสมาชิกใหม่", "area": "membership", "start_date": datetime.date(2025, 7, 1),
             "end_date": datetime.date(2025, 9, 30), "budget": 8000, "budget_source": "members",
             "responsible_person": "นางสมร แทนดี", "status": "planned", "progress": 0},
        ],
    )


@pytest.fixture
def world(_public_world, tree57):
    """A registered network with its public documents, plus everything that must stay private."""
    return refetched(_public_world)


@pytest.fixture
def registrar(db):
    """The registrar: once this module has built the world, the world's (who registered its organizations)."""
    return get_user_model().objects.filter(username=REGISTRAR).first() or make_registrar(
        REGISTRAR, admin_access=True, email="registrar@example.org", started_on=LONG_AGO
    )


def build_world():
    registrar = make_registrar(REGISTRAR, admin_access=True, email="registrar@example.org", started_on=LONG_AGO)
    a, b, c, d = tambons(4)
    charter_a = add_charter(a, clauses=["เครือข่ายนี้ชื่อว่า" + a.title, "สำนักงานตั้งอยู่ในตำบล"],
                            version_label="พ.ศ. ๒๕๖๗", preamble="อาศัยมติที่ประชุมสมัชชาเครือข่าย", publish=True)
    entry_a = register(charter_a, registrar, datetime.date(2024, 6, 1))
    # An amendment, registered: the live page moves on, both versions are listed.
    charter_a.chapters = [
        ("chapter", {"title": "บททั่วไป", "clauses": ["เครือข่ายนี้ชื่อว่า" + a.title]}),
        ("chapter", {"title": "สมาชิก", "clauses": ["สมาชิกต้องมีภูมิลำเนาในตำบลไม่น้อยกว่าหนึ่งปี"]}),
    ]
    charter_a.version_label = "พ.ศ. ๒๕๖๗ แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๘"
    charter_a.save_revision().publish()
    charter_a.refresh_from_db()
    entry_a = services.register(charter_a, registrar, on_date=datetime.date(2025, 3, 1))
    # A later amendment in draft: saved as a revision only, the live text stays the registered one.
    charter_a.chapters = [("chapter", {"title": SECRETS["draft_amendment"], "clauses": [SECRETS["draft_amendment"]]})]
    charter_a.save_revision()
    minutes_a = make_minutes(a)
    draft_minutes = make_minutes(a, number=2, date=datetime.date(2025, 6, 10), publish=False,
                                 title=SECRETS["draft_minutes"], resolution=SECRETS["draft_minutes"])
    plan_a = make_plan(a)
    draft_plan = make_plan(a, fiscal_year=2569, publish=False, title=SECRETS["draft_plan"])

    # A draft charter, never submitted.
    draft_charter = add_charter(b, SECRETS["draft_charter"], clauses=[SECRETS["draft_charter"]])
    # A charter under review: in a workflow, not live.
    review_charter = add_charter(c, SECRETS["review_charter"], clauses=[SECRETS["review_charter"]])
    workflow = Workflow.objects.create(name="public-tests review")
    task = GroupApprovalTask.objects.create(name="public-tests approval")
    task.groups.add(Group.objects.create(name="public-tests reviewers"))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(review_charter, registrar)

    # A registered then revoked organization.
    charter_d = add_charter(d, version_label="พ.ศ. ๒๕๖๕", publish=True)
    entry_d = register(charter_d, registrar, datetime.date(2022, 1, 10))
    entry_d = services.revoke(entry_d, registrar, "ไม่มีผลการดำเนินงาน", on_date=datetime.date(2025, 1, 5))
    return {
        "networks": (a, b, c, d),
        "charter": CharterPage.objects.get(pk=charter_a.pk),
        "entry": entry_a,
        "minutes": minutes_a,
        "plan": plan_a,
        "draft_minutes": draft_minutes,
        "draft_plan": draft_plan,
        "draft_charter": draft_charter,
        "review_charter": review_charter,
        "revoked_charter": charter_d,
        "revoked_entry": entry_d,
        "registrar": registrar,
    }


_public_world = built_once_per_module(build_world, "_chiang_rai_tree")
