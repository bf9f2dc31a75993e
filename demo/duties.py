"""The duties after registration in the demo (registry.duties): two tambon funds of Samut Prakan that
were registered as community welfare organizations before the site, about a year and a half before the
day the demo is loaded, so that half-year reports have fallen due.

- the first fund has filed both half-years since: the older one accepted by the registrar, the newer
  one waiting in the registrar's queue (*Waiting for the registrar*; the public registry shows both);
- the second fund has filed nothing: it is *Past a 30-day duty* for the registrar and officer_11.

sp_secretary is the secretary of both funds and files for the first one, through registry.duties as
the admin's form does. Idempotent: a fund already registered is left as it is, and reports are filed
only for a fund that has none.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pages.models import CharterPage
from people.models import CommitteeMembership, CommitteeRole
from registry import duties
from registry.models import MoneySource, RegistryEntry
from registry.services import register

from .content import charter_stream_data
from .loader import add_draft
from .people import DEMO_NOTE

# (chapter title, [clause, ...]) of a tambon fund's charter; {name} is the fund's name.
FUND_CHARTER_CHAPTERS = [
    ("บททั่วไป", [
        "ข้อบังคับนี้เรียกว่า “ข้อบังคับ{name}”",
        "กองทุนมีวัตถุประสงค์เพื่อจัดสวัสดิการแก่สมาชิกตั้งแต่เกิดจนตาย ด้วยเงินสัจจะวันละบาทของสมาชิก "
        "เงินสมทบจากองค์กรปกครองส่วนท้องถิ่นและจากรัฐ",
    ]),
    ("สมาชิกและสวัสดิการ", [
        "ผู้มีภูมิลำเนาในตำบลซึ่งสมัครและส่งเงินสัจจะต่อเนื่องเป็นสมาชิกของกองทุน",
        "สวัสดิการแต่ละประเภท อัตรา และเงื่อนไข ให้เป็นไปตามระเบียบที่คณะกรรมการกำหนด"
        "โดยความเห็นชอบของที่ประชุมใหญ่",
    ]),
    ("คณะกรรมการและการรายงาน", [
        "ให้มีคณะกรรมการไม่เกินสิบห้าคนซึ่งที่ประชุมใหญ่เลือกจากสมาชิก อยู่ในตำแหน่งคราวละสองปี",
        "ให้คณะกรรมการรายงานผลการดำเนินงานต่อนายทะเบียนภายในสามสิบวันนับแต่สิ้นเดือนมีนาคม"
        "และสิ้นเดือนกันยายนของทุกปี",
    ]),
]
# What the first fund reports for each half-year (the newest first): activities, members, money.
FUND_REPORTS = [
    ("จ่ายสวัสดิการเกิด 6 ราย เจ็บป่วย 41 ราย เสียชีวิต 9 ราย ประชุมคณะกรรมการ 3 ครั้ง "
     "และจัดเวทีรับสมาชิกใหม่ในชุมชนริมคลอง", 684,
     {MoneySource.MEMBERS: ("125550.00", "98200.00"), MoneySource.LOCAL_GOVERNMENT: ("40000.00", "0")}),
    ("จ่ายสวัสดิการเกิด 4 ราย เจ็บป่วย 37 ราย เสียชีวิต 11 ราย ผู้สูงอายุ 52 ราย "
     "และตรวจสอบบัญชีประจำปีโดยผู้ตรวจสอบที่ที่ประชุมใหญ่แต่งตั้ง", 652,
     {MoneySource.MEMBERS: ("118300.00", "104750.00"), MoneySource.CODI: ("30000.00", "30000.00")}),
]
# How many half-years have fallen due since the two funds were registered.
HALF_YEARS_DUE = 2


def registered_on(today):
    """The day after a half-year ended, HALF_YEARS_DUE half-years before the last one to end."""
    return duties.half_year_ends_before(today, HALF_YEARS_DUE + 1)[-1] + datetime.timedelta(days=1)


@transaction.atomic
def load_duties_demo(users, funds, today=None):
    """Register the first two of `funds` (Samut Prakan's tambon funds, in code order) and file the first
    one's half-year reports; returns what changed."""
    today = today or timezone.localdate()
    secretary, registrar = users["sp_secretary"], users["registrar"]
    changes = []
    entries = [
        _registered_fund(fund, users, registered_on(today), changes) for fund in funds[:2]
    ]
    reporting = entries[0]
    if not reporting.half_year_reports.exists():
        periods = list(reversed(duties.periods_to_report(reporting, today)))  # oldest first
        for i, (period_end, (activities, members, money)) in enumerate(zip(periods, reversed(FUND_REPORTS), strict=True)):
            report = duties.file_report(
                reporting, secretary, period_end=period_end, activities=activities, members=members,
                money={source: duties.Money(Decimal(received), Decimal(spent))
                       for source, (received, spent) in money.items()},
            )
            if i < len(periods) - 1:
                duties.accept(report, registrar)  # the older ones were accepted; the newest waits
            changes.append(f"half-year report {period_end.isoformat()} of {reporting.organization_name}")
    return changes


def _registered_fund(fund, users, on_date, changes):
    """The fund's registry entry, made as it was before the site: its charter published (as the loader
    publishes the networks' figures, by the administrator) and registered on `on_date`."""
    secretary, registrar = users["sp_secretary"], users["registrar"]
    entry = RegistryEntry.objects.filter(network=fund).first()
    if entry is not None:
        return entry
    # The secretary sat on the fund's committee before its registration (so no change of it to notify).
    if not CommitteeMembership.objects.active().filter(user=secretary, network=fund).exists():
        CommitteeMembership.objects.create(
            user=secretary, network=fund, role=CommitteeRole.SECRETARY, started_on=on_date - datetime.timedelta(days=90),
            note=DEMO_NOTE,
        )
    chapters = [(title, [clause.format(name=fund.title) for clause in clauses]) for title, clauses in FUND_CHARTER_CHAPTERS]
    charter = add_draft(fund, CharterPage(
        title=f"ข้อบังคับ{fund.title}", slug="charter", version_label="ฉบับจดทะเบียน",
        chapters=charter_stream_data(chapters),
    ), secretary)
    charter.get_latest_revision().publish(user=users["admin"])
    entry = register(charter, registrar, on_date=on_date)
    changes.append(f"registered {entry.organization_name} on {on_date.isoformat()}")
    return entry
