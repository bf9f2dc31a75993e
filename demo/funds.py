"""The funds of the demo: a record and a yearly report 2568 for each of Samut Prakan's 25 tambon funds,
and the assessment round of 24 June 2562 that graded them in six groups by district.

The round's date, place and groups follow the public report of that meeting (seeds, file 001); every
figure, grade and justification is made up for the demo, the same on every run. Written through
funds.services, so the history says who entered what, as in real use."""

import datetime
import random
from decimal import Decimal

from core.geography import district_name
from funds import services
from funds.models import (
    AssessmentGroup,
    AssessmentRound,
    FundGrade,
    FundStatus,
    FundYearReport,
    MemberCategory,
)

REPORT_YEAR = 2568
ROUND_DATE = datetime.date(2019, 6, 24)  # 24 มิถุนายน 2562
ROUND_PLACE = "ห้องประชุมองค์การบริหารส่วนตำบลบางพลีใหญ่ อำเภอบางพลี จังหวัดสมุทรปราการ"
ROUND_ASSESSORS = (
    "ผู้แทนสถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)\n"
    "ผู้แทนสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสมุทรปราการ\n"
    "คณะทำงานขับเคลื่อนกองทุนสวัสดิการชุมชนจังหวัดสมุทรปราการ"
)
ROUND_NOTE = (
    "เวทีพัฒนาศักยภาพแกนนำกองทุนสวัสดิการชุมชนตำบล กองทุนเข้าร่วม 25 กองทุน "
    "แบ่งกลุ่มย่อย 6 กลุ่มตามอำเภอ ประเมินกองทุนตามเกณฑ์คุณภาพ A B C D"
)
# The 25 grades in the order of the funds' codes: a few A, most B and C, a few D (the two dormant funds).
GRADES = "BCABCBDCBACBCBBCACDBCBACB"
DORMANT = {6, 18}  # positions of the funds that stopped for a while (graded D)
JUSTIFICATIONS = {
    "A": "จัดสวัสดิการครอบคลุมทุกช่วงวัย มีรายงานการเงินเปิดเผยต่อสมาชิกทุกปี และ อบต. สมทบต่อเนื่อง",
    "B": "คณะกรรมการทำงานสม่ำเสมอ ระบบบัญชีเป็นปัจจุบัน แต่ยังขยายฐานสมาชิกได้ไม่มาก",
    "C": "ระบบข้อมูลสมาชิกยังไม่ครบถ้วน ท้องถิ่นยังไม่สมทบ อยู่ระหว่างปรับระเบียบกองทุน",
    "D": "หยุดเก็บเงินออมมากกว่าหนึ่งปี คณะกรรมการไม่ครบ ต้องฟื้นฟูโดยเครือข่ายอำเภอ",
}


def fund_report_values(area_code, members_now, position):
    """Figures of a fund's report 2568: made up, but the same on every run."""
    rng = random.Random(int(area_code) + REPORT_YEAR)
    cumulative = members_now + rng.randrange(40, 400)
    at_founding = rng.randrange(30, 160)
    return {
        "status": FundStatus.DORMANT if position in DORMANT else FundStatus.OPERATING,
        "members_now": members_now,
        "members_at_founding": min(at_founding, cumulative),
        "members_cumulative": cumulative,
        # Members save one baht a day; the fund keeps a few years of it.
        "savings_members": Decimal(members_now * 365 * rng.randrange(2, 7)),
        "matching_local": Decimal(rng.randrange(0, 21) * 10_000),
        "matching_codi": Decimal(rng.randrange(5, 31) * 10_000),
        "matching_other": Decimal(rng.randrange(0, 6) * 5_000),
    }


def fund_categories(area_code, members_now):
    rng = random.Random(int(area_code) * 7)
    return {
        MemberCategory.ELDERS: members_now * rng.randrange(25, 41) // 100,
        MemberCategory.CHILDREN: members_now * rng.randrange(8, 21) // 100,
        MemberCategory.DISABLED: members_now * rng.randrange(2, 6) // 100,
        MemberCategory.INFORMAL_WORKERS: members_now * rng.randrange(20, 41) // 100,
        MemberCategory.OTHER: members_now * rng.randrange(5, 16) // 100,
    }


def load_fund_demo(funds, province, users):
    """Records, reports and grades of the Samut Prakan funds (`funds`, NetworkPages in code order) under
    the provincial network `province`; `users` maps demo.content.DEMO_USERS keys to users. Returns what
    changed, in words (nothing on a second run)."""
    changes = []
    entered_by = users["sp_secretary"]
    reports = 0
    for position, network in enumerate(funds):
        if FundYearReport.objects.filter(record__network=network, year=REPORT_YEAR).exists():
            continue
        members_now = network.member_count or 300
        services.set_fund_values(
            network, {"founded_on": network.welfare_started_on}, user=entered_by,
            reason="วันก่อตั้งตามทะเบียนกองทุน", origin="demo",
        )
        services.save_year_report(
            network, REPORT_YEAR, fund_report_values(network.area_code, members_now, position),
            fund_categories(network.area_code, members_now), user=entered_by, entered_for=province,
            note="รายงานสถานะกองทุนประจำปี 2568 รวบรวมโดยเครือข่ายจังหวัด",
        )
        reports += 1
    if reports:
        changes.append(f"yearly reports {REPORT_YEAR} of {reports} Samut Prakan funds")
    changes.extend(_grade_funds(funds, province, users))
    return changes


def _grade_funds(funds, province, users):
    assessment_round = AssessmentRound.objects.filter(province_code=province.province_code, held_on=ROUND_DATE).first()
    changes = []
    if assessment_round is None:
        assessment_round = AssessmentRound(
            province_code=province.province_code, held_on=ROUND_DATE, place=ROUND_PLACE,
            assessor_names=ROUND_ASSESSORS, note=ROUND_NOTE, created_by=users["codi_staff"],
        )
        assessment_round._history_user = users["codi_staff"]
        assessment_round.save()
        assessment_round.assessors.set([users["codi_staff"], users["officer_11"]])
        changes.append("assessment round of 24 June 2562")
    groups = {}
    for network in funds:
        code = network.area_code[:4]
        if code not in groups:
            groups[code], _created = AssessmentGroup.objects.get_or_create(
                round=assessment_round, district_code=code,
                defaults={"name": f"กลุ่มอำเภอ{district_name(code, english=False)}"},
            )
    graded = set(FundGrade.objects.filter(round=assessment_round).values_list("record__network_id", flat=True))
    by_group = {}
    for position, network in enumerate(funds):
        if network.pk in graded:
            continue
        grade = GRADES[position % len(GRADES)]
        by_group.setdefault(network.area_code[:4], []).append((network, grade, JUSTIFICATIONS[grade]))
    count = 0
    for code, entries in by_group.items():
        count += services.grade_funds(assessment_round, entries, user=users["codi_staff"], group=groups[code])
    if count:
        changes.append(f"grades of {count} Samut Prakan funds")
    return changes
