"""A small published corpus for the search tests: two provinces, each with networks, a charter,
an action plan and minutes, written for these tests (not copied from any report)."""

import datetime

import pytest

from networks.models import NetworkPage
from pages.models import ActionPlanActivity, ActionPlanPage, AgendaItem, CharterPage, MeetingMinutesPage


def add_network(parent, title, level, area_code="", name_en="", publish=True):
    network = parent.add_child(
        instance=NetworkPage(title=title, level=level, area_code=area_code, name_en=name_en, live=publish)
    )
    return network


def add_charter(network, title, chapters, preamble="", publish=True):
    charter = network.add_child(
        instance=CharterPage(
            title=title,
            version_label="พ.ศ. ๒๕๖๘",
            preamble=preamble,
            chapters=[("chapter", {"title": t, "clauses": clauses}) for t, clauses in chapters],
            live=False,
        )
    )
    revision = charter.save_revision()
    if publish:
        revision.publish()
    charter.refresh_from_db()
    return charter


def add_plan(network, title, goals, activities, publish=True):
    plan = ActionPlanPage(title=title, fiscal_year=2569, goals=goals, live=False)
    for activity in activities:
        plan.activities.add(
            ActionPlanActivity(
                title=activity,
                start_date=datetime.date(2026, 5, 20),
                end_date=datetime.date(2026, 6, 15),
                responsible_person="นางสาวกมลา ใจดี",
            )
        )
    network.add_child(instance=plan)
    revision = plan.save_revision()
    if publish:
        revision.publish()
    plan.refresh_from_db()
    return plan


def add_minutes(network, title, number, items, publish=True):
    minutes = MeetingMinutesPage(
        title=title,
        body_name="คณะกรรมการเครือข่าย",
        meeting_number=number,
        meeting_date=datetime.date(2026, 3, 14),
        place="ศาลาอเนกประสงค์หมู่ที่ ๓",
        live=False,
    )
    for item_title, summary, resolution in items:
        minutes.agenda_items.add(AgendaItem(title=item_title, summary=summary, resolution=resolution))
    network.add_child(instance=minutes)
    revision = minutes.save_revision()
    if publish:
        revision.publish()
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def corpus(home):
    national = add_network(home, "เครือข่ายสวัสดิการชุมชนระดับชาติ", "national", name_en="National Community Welfare Network")
    north = add_network(national, "เครือข่ายสวัสดิการชุมชนภาคเหนือ", "region", name_en="Northern Region Welfare Network")
    chiang_rai = add_network(
        north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "province", "57", "Chiang Rai Community Welfare Network"
    )
    mae_sai = add_network(
        chiang_rai, "เครือข่ายสวัสดิการชุมชนอำเภอแม่สาย", "district", "5702", "Mae Sai District Welfare Network"
    )
    chiang_mai = add_network(
        north, "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่", "province", "50", "Chiang Mai Community Welfare Network"
    )
    c = {"national": national, "north": north, "chiang_rai": chiang_rai, "mae_sai": mae_sai, "chiang_mai": chiang_mai}

    c["charter_57"] = add_charter(
        chiang_rai,
        "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        [
            ("บททั่วไป", ["ข้อบังคับนี้ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมใหญ่ให้ความเห็นชอบ"]),
            ("สมาชิก", ["ผู้สมัครเป็นสมาชิกต้องเป็นผู้มีระเบียบวินัยและมีภูมิลำเนาในจังหวัดอย่างน้อยหนึ่งปี",
                        "สมาชิกต้องชำระเงินสมทบเข้ากองทุนทุกเดือนตามอัตราที่คณะกรรมการกำหนด"]),
            ("การบริหารกองทุน", ["ให้เลขานุการจัดทำบัญชีรายชื่อสมาชิกและปรับปรุงให้เป็นปัจจุบันทุกไตรมาส"]),
        ],
    )
    c["charter_50"] = add_charter(
        chiang_mai,
        "ระเบียบเครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่",
        [
            ("วัตถุประสงค์", ["เพื่อส่งเสริมให้ชุมชนดูแลกันตั้งแต่เกิดจนตาย โดยใช้เงินออมของสมาชิกเป็นทุนตั้งต้น"]),
            ("สวัสดิการ", ["สมาชิกที่เจ็บป่วยต้องนอนโรงพยาบาลได้รับค่ารักษาพยาบาลคืนละหนึ่งร้อยบาท"]),
        ],
    )
    c["plan_57"] = add_plan(
        chiang_rai,
        "แผนปฏิบัติการประจำปี ๒๕๖๙ เครือข่ายจังหวัดเชียงราย",
        "ขยายฐานสมาชิกและเชื่อมโยงกับองค์กรปกครองส่วนท้องถิ่นให้ร่วมสมทบงบประมาณ",
        ["ติดตามและทบทวนการบริหารจัดการกองทุนสวัสดิการชุมชนตำบล", "อบรมคณะทำงานด้านระบบข้อมูลสมาชิก"],
    )
    c["minutes_5702"] = add_minutes(
        mae_sai,
        "รายงานการประชุมคณะกรรมการเครือข่ายอำเภอแม่สาย ครั้งที่ 1/2569",
        1,
        [
            ("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "ประธานแจ้งว่าสำนักงานจังหวัดจะมาตรวจเยี่ยมกองทุนในเดือนหน้า", ""),
            (
                "พิจารณายกร่างระเบียบข้อบังคับของเครือข่าย",
                "เลขานุการเสนอร่างที่ปรับแก้ตามข้อสังเกตของคณะทำงาน",
                "ที่ประชุมมีมติเห็นชอบร่างและให้เสนอต่อที่ประชุมใหญ่",
            ),
        ],
    )
    c["minutes_50"] = add_minutes(
        chiang_mai,
        "รายงานการประชุมเครือข่ายจังหวัดเชียงใหม่ ครั้งที่ 2/2569",
        2,
        [
            (
                "เรื่องเพื่อพิจารณา",
                # The words of "แผนปฏิบัติการ" are all here, but never next to each other.
                "ที่ประชุมทบทวนแผนเดิม และมอบให้ฝ่ายปฏิบัติงานสรุปการใช้จ่าย",
                "ให้จัดทำรายงานการเงินเสนอในการประชุมครั้งต่อไป",
            ),
        ],
    )
    # Never published: its words must never surface.
    c["draft_charter"] = add_charter(
        mae_sai,
        "ร่างข้อบังคับเครือข่ายอำเภอแม่สาย ฉบับลับเฉพาะ",
        [("บททั่วไป", ["ข้อความลับยังไม่ผ่านการพิจารณาว่าด้วยกองทุนสวัสดิการชุมชน"])],
        publish=False,
    )
    return c
