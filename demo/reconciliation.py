"""The three fund databases of Chiang Rai (demo/data/funds/), imported and partly reconciled.

The files are made up, with the kinds of disagreement the working group met on 14 May 2562: a status
(แม่ยาว: operating in the program, inactive in the survey), members (บ้านดู่), money (รอบเวียง's CODI
matching), a founding year (สันมะเค็ด), funds missing in a source (ผางาม, แม่อ้อ, แม่สาย), a name spelled
differently (บ้านแซ่ว), an ambiguous name (ต.เวียง with no district: five tambons are called เวียง), a
row that is no tambon fund, a Christian-Era year and an unreadable member count. Two disagreements are
settled and the ambiguous row is given its fund; the rest wait for the officer. A second run finds
every file imported (by its SHA-256) and every decision made, and changes nothing."""

import hashlib
from pathlib import Path

from networks.models import NetworkPage
from reconciliation import services
from reconciliation.models import Resolution, RowStatus, SourceImport
from reconciliation.reading import read_table

from .content import CHIANG_RAI

DATA = Path(__file__).parent / "data" / "funds"
FILES = (
    ("program", "program-2562.xlsx"),
    ("matching", "matching-2562.csv"),
    ("survey", "survey-2562.csv"),
)
# (tambon code, field, source or None for a value typed by hand, the value, the reason)
RESOLUTIONS = (
    ("570103", "members_now", "survey", None,
     "เครือข่ายอำเภอเมืองเชียงรายตรวจทะเบียนสมาชิกแล้ว สมาชิกเสียชีวิตและลาออก ๗๐ คน ยังไม่ได้ปรับในระบบโปรแกรม"),
    ("570501", "founded_year", None, "2551",
     "ตรวจสอบจากรายงานการประชุมจัดตั้งกองทุน ลงวันที่ ๑๒ มีนาคม ๒๕๕๑"),
)
# The ambiguous row "ต.เวียง" of the matching list, given to Wiang of Chiang Saen.
AMBIGUOUS_NAME = "ต.เวียง"
AMBIGUOUS_FUND = "570801"


def load_reconciliation_demo(users):
    changes = []
    importer = users["codi_staff"]
    for source, name in FILES:
        data = (DATA / name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if SourceImport.objects.filter(province_code=CHIANG_RAI, source=source, sha256=digest).exists():
            continue
        table = read_table(data, name)
        preview = services.build_preview(table, services.guess_mapping(table.headers), CHIANG_RAI, source)
        services.save_import(data, name, preview, user=importer)
        changes.append(f"fund source {name}")
    funds = {n.area_code: n for n in NetworkPage.objects.filter(
        province_code=CHIANG_RAI, area_code__in=[code for code, *_rest in RESOLUTIONS] + [AMBIGUOUS_FUND])}
    row = services.unmatched_rows(CHIANG_RAI).filter(status=RowStatus.AMBIGUOUS, fund_name=AMBIGUOUS_NAME).first()
    if row is not None:
        services.choose_fund(row, funds[AMBIGUOUS_FUND], user=importer)
        changes.append(f"fund of row {row.row_number} of the matching list")
    for code, field_name, source, value, reason in RESOLUTIONS:
        if Resolution.objects.filter(network=funds[code], field_name=field_name).exists():
            continue
        services.resolve(funds[code], field_name, user=importer, reason=reason, source=source, value=value)
        changes.append(f"reconciled {field_name} of {funds[code].title}")
    return changes
