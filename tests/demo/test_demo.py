"""`manage.py load_demo`: the demo content, its users, idempotence and the guard against real sites."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from wagtail.models import Page, PageLogEntry, Revision

from demo import content as demo_content
from networks.models import NetworkLevel, NetworkPage
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage

from .conftest import load_demo


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list(
            "pk", "path", "title", "draft_title", "slug", "live", "has_unpublished_changes",
            "latest_revision_id", "numchild")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password")),
        "networks": list(NetworkPage.objects.order_by("pk").values_list(
            "pk", "member_count", "member_organization_count", "welfare_started_on", "office_address")),
    }


def test_refuses_to_run_with_debug_off_unless_forced(home, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not NetworkPage.objects.exists() and not get_user_model().objects.exists()


def test_demo_content_and_second_run_changes_nothing(home):
    first = load_demo("--force")
    assert "Demo loaded" in first

    chiang_rai = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code="57")
    assert chiang_rai.member_organization_count == 18

    charter = CharterPage.objects.get(network=chiang_rai)
    assert not charter.live and charter.latest_revision is not None
    assert [title for _n, title, _c in charter.numbered_chapters()] == [
        "บททั่วไป", "วัตถุประสงค์", "สมาชิก", "คณะกรรมการ", "การบริหารกองทุน",
        "สวัสดิการและประโยชน์ที่องค์กรสมาชิกได้รับ", "การบัญชีและการรายงาน",
        "การแก้ไขเพิ่มเติมข้อบังคับ", "การเลิกเครือข่าย",
    ]
    assert all(len(clauses) >= 3 for _n, _t, clauses in charter.numbered_chapters())
    # Created once, in the history, by the committee member who wrote it (not logged twice).
    created = PageLogEntry.objects.filter(page=charter, action="wagtail.create")
    assert list(created.values_list("user__username", flat=True)) == [demo_content.DEMO_USERS["cr_member"][0]]

    # 1/2562 is certified and published by the demo's road (demo.road, tested in tests/demo).
    minutes = MeetingMinutesPage.objects.get(network=chiang_rai, meeting_number=1)
    assert minutes.meeting_date == datetime.date(2019, 5, 14)
    assert minutes.number_label == "1/2562" and minutes.agenda_items.count() == 5
    assert list(minutes.agenda_items.values_list("sort_order", flat=True)) == [0, 1, 2, 3, 4]
    assert minutes.present_members.filter(substitute_for__gt="").count() == 1

    plan = ActionPlanPage.objects.get(network=chiang_rai)
    assert not plan.live
    monitoring = plan.activities.get(start_date=datetime.date(2019, 5, 20))
    assert monitoring.end_date == datetime.date(2019, 6, 15)

    samut_prakan = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, area_code="11")
    assert samut_prakan.member_organization_count == 25
    funds = NetworkPage.objects.descendant_of(samut_prakan).filter(level=NetworkLevel.TAMBON, member_count__gt=0)
    assert funds.count() == 25
    assert funds.filter(welfare_started_on__isnull=False).count() == 25
    # All six districts of Samut Prakan have funds in the demo.
    assert len({fund.area_code[:4] for fund in funds}) == 6

    User = get_user_model()
    for username, *_rest in demo_content.DEMO_USERS.values():
        assert User.objects.get(username=username).check_password(demo_content.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()

    before = snapshot()
    second = load_demo("--force")

    assert "nothing changed" in second
    assert snapshot() == before
