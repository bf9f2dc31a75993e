"""Builders of test data shared by every test folder: networks, the document pages, people and their roles.

Plain functions, each defined once here; fixtures call them with what their tests need. A builder saves
what it builds (the tests run inside a database transaction that rolls back).
"""

import contextlib
import datetime
from unittest import mock

import modelsearch.signal_handlers
import wagtail.signal_handlers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from pages.models import (
    AbsentMember,
    ActionPlanActivity,
    ActionPlanPage,
    AgendaItem,
    CharterPage,
    MeetingMinutesPage,
    PresentMember,
)
from people.models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)

PASSWORD = "pw-test-only"
LONG_AGO = datetime.date(2020, 1, 1)
CHARTER_VERSION = "พ.ศ. ๒๕๖๙"
REGISTRAR_OFFICE = "สำนักงาน ก.ส.ค."


# Networks


def add_network(parent, title, level, area_code="", **fields):
    return parent.add_child(instance=NetworkPage(title=title, level=level, area_code=area_code, **fields))


def add_province(home, province_code="57", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", *, publish=False):
    """A provincial network under the first national and regional networks, made when missing."""
    national = NetworkPage.objects.filter(level="national").first()
    if national is None:
        national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    region = national.get_children().type(NetworkPage).first()
    if region is None:
        region = add_network(national, "เครือข่ายภาคเหนือ", "region")
    if not publish:
        return add_network(region.specific, title, "province", province_code)
    with _indexed_at_its_last_save(NetworkPage):  # the province's own saves only, not those above
        network = add_network(region.specific, title, "province", province_code)
        revision = network.save_revision()
    revision.publish()
    network.refresh_from_db()
    return network


def load_province(province_code):
    """One province of the real tree (networks/data), with the national and regional networks above it."""
    TreeLoader().load([province_code])
    return NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code=province_code)


def small_tree(home):
    """national → north → Chiang Rai (57) → Mueang district (5701) → Wiang tambon (570101); and
    central → Samut Prakan (11) → Mueang Samut Prakan district (1101)."""
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนแห่งชาติ", "national")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region")
    central = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคกลาง", "region")
    chiang_rai = add_network(north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57")
    mueang_cr = add_network(chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย", "district", "5701")
    wiang = add_network(mueang_cr, "กองทุนสวัสดิการชุมชนตำบลเวียง", "tambon", "570101")
    samut_prakan = add_network(central, "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "province", "11")
    mueang_sp = add_network(samut_prakan, "เครือข่ายสวัสดิการชุมชนอำเภอเมืองสมุทรปราการ", "district", "1101")
    return {
        "national": national, "north": north, "central": central, "chiang_rai": chiang_rai,
        "mueang_cr": mueang_cr, "wiang": wiang, "samut_prakan": samut_prakan, "mueang_sp": mueang_sp,
    }


# Document pages


class _IndexingLeftForLater:
    """A stand-in for the task that indexes a saved object (search, references), which passes on every
    object but those of `model`."""

    def __init__(self, task, model):
        self.task = task
        self.label = (model._meta.app_label, model._meta.model_name)

    def enqueue(self, app_label, model_name, pk):
        if (app_label, model_name) != self.label:
            return self.task.enqueue(app_label, model_name, pk)
        return None


@contextlib.contextmanager
def _indexed_at_its_last_save(model, later=True):
    """Saves of a page of `model` in the block leave its search and reference index entries alone, for its
    last save after the block: each indexing rewrites the page's entries from the page as stored then, so
    the entries are those indexing after every save leaves, and the document builders' two or three saves
    of a page cost one indexing. Without `later`, every save indexes (the block's save is the last)."""
    if not later:
        yield
        return
    with (
        mock.patch.object(modelsearch.signal_handlers, "insert_or_update_object_task",
                          _IndexingLeftForLater(modelsearch.signal_handlers.insert_or_update_object_task, model)),
        mock.patch.object(wagtail.signal_handlers, "update_reference_index_task",
                          _IndexingLeftForLater(wagtail.signal_handlers.update_reference_index_task, model)),
    ):
        yield


def _add_document(network, page, *rows, author=None, revision=True, publish=False):
    """Add `page` under `network` with its child rows (`rows`: (model, [field dict, ...]) in order), then
    `_save` it; indexed once, at its last save."""
    with _indexed_at_its_last_save(type(page), later=revision or publish):
        page = network.add_child(instance=page)
        for model, fields in rows:
            _add_rows(model, page, fields)
    return _save(page, author=author, revision=revision, publish=publish)


def _add_rows(model, page, rows):
    """The child rows of `page`, in the order given, in one statement: these Orderable models have no
    save() of their own and no receivers, so the rows are those one create() each would store."""
    model.objects.bulk_create(model(page=page, **{"sort_order": i, **row}) for i, row in enumerate(rows))


def _save(page, *, author=None, revision=True, publish=False):
    """Save a revision (by `author`) and publish it when asked; the page comes back as stored."""
    if not (revision or publish):
        return page
    with _indexed_at_its_last_save(type(page), later=publish):
        saved = page.save_revision(user=author)
    if publish:
        saved.publish()
    page.refresh_from_db()
    return page


CHARTER_CLAUSES = ("สมาชิกต้องมีภูมิลำเนาในตำบล", "คณะกรรมการมีวาระสองปี")


def add_charter(network, title=None, *, clauses=CHARTER_CLAUSES, chapters=None, version_label=CHARTER_VERSION,
                preamble="", author=None, revision=True, publish=False):
    """A charter. `chapters` is [(title, [clause, ...]), ...]; else `clauses`: the first under the general
    chapter, the others under "members"."""
    title = title or f"ข้อบังคับ{network.title}"
    if chapters is None:
        clauses = list(clauses)
        chapters = [("บททั่วไป", clauses[:1])] + ([("สมาชิก", clauses[1:])] if clauses[1:] else [])
    charter = CharterPage(
        title=title,
        version_label=version_label,
        preamble=preamble,
        chapters=[("chapter", {"title": name, "clauses": list(items)}) for name, items in chapters],
        live=publish,
    )
    return _add_document(network, charter, author=author, revision=revision, publish=publish)


def add_minutes(network, number=1, *, title=None, date=datetime.date(2026, 3, 1), present=(), absent=(), agenda=(),
                author=None, revision=True, publish=False, **fields):
    """Minutes of a meeting. `present`, `absent` and `agenda` are lists of field dicts of PresentMember,
    AbsentMember and AgendaItem, stored in that order."""
    fields.setdefault("body_name", "คณะกรรมการเครือข่าย")
    fields.setdefault("place", "ศาลาประชาคม")
    minutes = MeetingMinutesPage(
        title=title or f"รายงานการประชุม ครั้งที่ {number}",
        meeting_number=number,
        meeting_date=date,
        live=publish,
        **fields,
    )
    return _add_document(network, minutes, (PresentMember, present), (AbsentMember, absent), (AgendaItem, agenda),
                         author=author, revision=revision, publish=publish)


ADOPTION_ITEM = {"title": "พิจารณาร่างข้อบังคับ", "resolution": "ที่ประชุมมีมติเห็นชอบร่างข้อบังคับ", "sort_order": 4}


def add_adopting_minutes(network, number, present, *, size=5, date=None, author=None,
                         revision=False, certified=True, **fields):
    """Minutes of a meeting of `size` members with `present` of them there, whose agenda item adopted
    the charter (`minutes.adoption_item`): what the adoption step cites. Certified (published) and
    held today unless told, so that they may be cited for a text written before (workflows' evidence
    rules); `certified=False` leaves them a draft."""
    minutes = add_minutes(
        network, number, date=date or timezone.localdate(), committee_size=size,
        present=[{"name": f"กรรมการ {i + 1}", "position": "กรรมการ"} for i in range(present)],
        agenda=[ADOPTION_ITEM], author=author, revision=revision, publish=certified, **fields,
    )
    minutes.adoption_item = AgendaItem.objects.get(page=minutes, title=ADOPTION_ITEM["title"])
    return minutes


def add_plan(network, fiscal_year=2569, *, title=None, goals="", activities=(), author=None, revision=True,
             publish=False):
    """An action plan; `activities` is a list of field dicts of ActionPlanActivity, stored in that order."""
    plan = ActionPlanPage(
        title=title or f"แผนปฏิบัติการปี {fiscal_year}", fiscal_year=fiscal_year, goals=goals, live=publish
    )
    return _add_document(network, plan, (ActionPlanActivity, activities), author=author, revision=revision,
                         publish=publish)


# People


def make_user(username, *, admin_access=False, **fields):
    """A user; with `admin_access`, in a group that may open the Wagtail admin (and nothing else)."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if admin_access:
        group, _ = Group.objects.get_or_create(name="tests: admin access")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group)
    return user


def make_committee_member(network, username, role="member", *, started_on=None, **fields):
    """A user on the committee of `network`: the membership gives the page permissions on the network's
    subtree and admin access through its groups."""
    user = make_user(username, **fields)
    CommitteeMembership.objects.create(user=user, network=network, role=role, **_started(started_on))
    return user


def make_registrar(username="registrar", *, started_on=None, **fields):
    user = make_user(username, **fields)
    RegistrarAssignment.objects.create(user=user, office_name=REGISTRAR_OFFICE, **_started(started_on))
    return user


def make_provincial_officer(username, province_code, *, started_on=None, **fields):
    user = make_user(username, **fields)
    ProvincialOfficerAssignment.objects.create(user=user, province_code=province_code, **_started(started_on))
    return user


def make_support_staff(username="codi", *, started_on=None, **fields):
    """CODI (พอช.) support staff."""
    user = make_user(username, **fields)
    SupportStaffAssignment.objects.create(user=user, office_name="พอช.", **_started(started_on))
    return user


def make_local_office(username, network, office_name, **fields):
    user = make_user(username, **fields)
    LocalOfficeAssignment.objects.create(user=user, network=network, office_name=office_name)
    return user


def _started(started_on):
    return {"started_on": started_on} if started_on else {}
