"""The words of the demo: a draft charter, minutes and an action plan of the Chiang Rai provincial
network, and figures for the Samut Prakan tambon funds.

Facts (dates, places, the five agenda items, the 25 funds) follow public reports of the networks'
meetings; every sentence and every person here is written for the demo. Numbers in the charter are
in Thai numerals, as official documents write them. The minutes' and action plans' fields, agenda items
and activities are data, in demo/data/documents.toml (DOCUMENTS).
"""

import datetime
import random
import tomllib
from pathlib import Path

# The minutes and action plans of both networks: {"minutes": {key: table}, "action_plans": {key: table}}.
DOCUMENTS = tomllib.loads((Path(__file__).parent / "data" / "documents.toml").read_text(encoding="utf-8"))

# --- Chiang Rai provincial network ---------------------------------------------------------------

CHIANG_RAI = "57"
CHIANG_RAI_NETWORK = {
    "office_address": (
        "ศูนย์ประสานงานเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย อาคารอเนกประสงค์ชุมชน "
        "ถนนสิงหไคล ตำบลเวียง อำเภอเมืองเชียงราย จังหวัดเชียงราย 57000"
    ),
    "welfare_started_on": datetime.date(2009, 6, 1),
    "member_organization_count": 18,
    "member_count": 0,
}

CHARTER_TITLE = "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย"
CHARTER_VERSION = "พ.ศ. ๒๕๖๒ (ร่าง)"
CHARTER_PREAMBLE = (
    "โดยที่กองทุนสวัสดิการชุมชนตำบลและเครือข่ายสวัสดิการชุมชนระดับอำเภอทั้งสิบแปดอำเภอในจังหวัดเชียงราย "
    "ได้ร่วมกันจัดสวัสดิการให้แก่คนในชุมชนมาอย่างต่อเนื่อง และเห็นพ้องกันว่าควรมีกติกากลางที่ทุกองค์กรยึดถือ "
    "เพื่อขอรับการรับรองเป็นองค์กรสวัสดิการชุมชนตามพระราชบัญญัติส่งเสริมการจัดสวัสดิการสังคม "
    "พ.ศ. ๒๕๔๖ และที่แก้ไขเพิ่มเติม ที่ประชุมใหญ่ของเครือข่ายจึงวางข้อบังคับไว้ดังต่อไปนี้"
)

# (chapter title, [clause, ...]); clause numbers run on across chapters and are added on display.
CHARTER_CHAPTERS = [
    ("บททั่วไป", [
        "ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย พ.ศ. ๒๕๖๒”",
        "ข้อบังคับนี้ให้ใช้บังคับตั้งแต่วันถัดจากวันที่ที่ประชุมใหญ่ของเครือข่ายมีมติเห็นชอบเป็นต้นไป",
        "เครือข่ายนี้มีชื่อว่า “เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย” ใช้ชื่อภาษาอังกฤษว่า "
        "“Chiang Rai Provincial Community Welfare Network”",
        "สำนักงานของเครือข่ายตั้งอยู่ที่ศูนย์ประสานงานเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย ตำบลเวียง "
        "อำเภอเมืองเชียงราย จังหวัดเชียงราย การย้ายสำนักงานต้องได้รับความเห็นชอบจากคณะกรรมการ",
        "ในข้อบังคับนี้\n“เครือข่าย” หมายความว่า เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย\n"
        "“องค์กรสมาชิก” หมายความว่า กองทุนสวัสดิการชุมชนตำบลและเครือข่ายสวัสดิการชุมชนระดับอำเภอ"
        "ในจังหวัดเชียงรายที่เข้าเป็นสมาชิกของเครือข่าย\n"
        "“คณะกรรมการ” หมายความว่า คณะกรรมการเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย\n"
        "“ที่ประชุมใหญ่” หมายความว่า ที่ประชุมของผู้แทนองค์กรสมาชิกทั้งหมด",
        "ให้ประธานคณะกรรมการเป็นผู้รักษาการตามข้อบังคับนี้ ในกรณีที่มีปัญหาการตีความ "
        "ให้คณะกรรมการเป็นผู้วินิจฉัย และรายงานต่อที่ประชุมใหญ่ครั้งถัดไป",
    ]),
    ("วัตถุประสงค์", [
        "เพื่อประสานและหนุนเสริมการจัดสวัสดิการชุมชนขององค์กรสมาชิกให้ครอบคลุมคนทุกช่วงวัย",
        "เพื่อพัฒนาระบบข้อมูลกองทุนสวัสดิการชุมชนของจังหวัดให้ถูกต้อง ตรงกัน และเป็นปัจจุบัน",
        "เพื่อเชื่อมโยงความร่วมมือกับองค์กรปกครองส่วนท้องถิ่น หน่วยงานของรัฐ ภาคประชาสังคม และภาคเอกชน",
        "เพื่อส่งเสริมการบริหารจัดการกองทุนที่โปร่งใส ตรวจสอบได้ และเปิดเผยผลการดำเนินงานต่อสาธารณะ",
        "เครือข่ายไม่ดำเนินการใดที่เกี่ยวข้องกับการเมือง และไม่แสวงหากำไรมาแบ่งปันกัน",
    ]),
    ("สมาชิก", [
        "สมาชิกของเครือข่ายได้แก่ กองทุนสวัสดิการชุมชนตำบลและเครือข่ายสวัสดิการชุมชนระดับอำเภอ"
        "ในจังหวัดเชียงราย ซึ่งจัดสวัสดิการให้แก่สมาชิกของตนมาแล้วไม่น้อยกว่าหนึ่งปี "
        "และมีระเบียบหรือกติกาของตนเอง",
        "องค์กรที่ประสงค์จะเป็นสมาชิกให้ยื่นใบสมัครพร้อมสำเนามติที่ประชุมขององค์กรต่อคณะกรรมการ "
        "คณะกรรมการต้องพิจารณาให้แล้วเสร็จภายในหกสิบวันนับแต่วันที่ได้รับใบสมัคร",
        "องค์กรสมาชิกมีสิทธิส่งผู้แทนเข้าร่วมที่ประชุมใหญ่ได้องค์กรละสองคน และมีสิทธิออกเสียงได้องค์กรละหนึ่งเสียง",
        "องค์กรสมาชิกมีหน้าที่ปฏิบัติตามข้อบังคับนี้ และรายงานสถานะกองทุนต่อเครือข่ายปีละหนึ่งครั้ง",
        "องค์กรสมาชิกพ้นสภาพเมื่อลาออก เลิกกิจการ หรือที่ประชุมใหญ่มีมติให้พ้นสภาพด้วยคะแนนเสียง"
        "ไม่น้อยกว่าสองในสามของผู้แทนที่มาประชุม",
    ]),
    ("คณะกรรมการ", [
        "ให้มีคณะกรรมการประกอบด้วยผู้แทนเครือข่ายสวัสดิการชุมชนระดับอำเภอ อำเภอละหนึ่งคน "
        "ซึ่งที่ประชุมใหญ่เลือกตั้ง และผู้ทรงคุณวุฒิที่คณะกรรมการแต่งตั้งอีกไม่เกินสามคน",
        "ให้คณะกรรมการเลือกกันเองเป็นประธาน รองประธาน เลขานุการ และเหรัญญิก อย่างละหนึ่งคน",
        "กรรมการอยู่ในตำแหน่งคราวละสามปี และดำรงตำแหน่งติดต่อกันได้ไม่เกินสองวาระ",
        "กรรมการพ้นจากตำแหน่งเมื่อครบวาระ ตาย ลาออก องค์กรที่ส่งมาพ้นสภาพ "
        "หรือที่ประชุมใหญ่มีมติให้พ้นจากตำแหน่ง",
        "คณะกรรมการต้องประชุมอย่างน้อยสามเดือนต่อครั้ง การประชุมต้องมีกรรมการมาประชุมไม่น้อยกว่า"
        "กึ่งหนึ่งของกรรมการที่มีอยู่จึงจะเป็นองค์ประชุม มติให้ถือเสียงข้างมาก ถ้าคะแนนเสียงเท่ากัน"
        "ให้ประธานในที่ประชุมออกเสียงเพิ่มอีกหนึ่งเสียงเป็นเสียงชี้ขาด",
    ]),
    ("การบริหารกองทุน", [
        "กองทุนของเครือข่ายประกอบด้วย เงินสมทบจากองค์กรสมาชิก เงินสมทบจากองค์กรปกครองส่วนท้องถิ่น "
        "งบประมาณจากสถาบันพัฒนาองค์กรชุมชนและหน่วยงานของรัฐ เงินหรือทรัพย์สินที่มีผู้บริจาค และดอกผลของเงินดังกล่าว",
        "เงินของเครือข่ายให้ฝากไว้กับธนาคารในนามของเครือข่าย การถอนเงินต้องมีกรรมการลงนาม"
        "ร่วมกันสองในสามคนตามที่คณะกรรมการมอบหมาย ซึ่งต้องมีเหรัญญิกด้วยหนึ่งคน",
        "ให้เหรัญญิกเก็บรักษาเงินสดไว้ใช้จ่ายได้ไม่เกินห้าพันบาท",
        "ค่าใช้จ่ายในการบริหารงานของเครือข่ายในแต่ละปีต้องไม่เกินร้อยละสิบของรายรับในปีนั้น",
    ]),
    ("สวัสดิการและประโยชน์ที่องค์กรสมาชิกได้รับ", [
        "เครือข่ายจัดให้มีการช่วยเหลือองค์กรสมาชิกที่ได้รับผลกระทบจากภัยพิบัติ การพัฒนาศักยภาพ"
        "คณะกรรมการกองทุน และการสนับสนุนสวัสดิการแก่ผู้ด้อยโอกาสในพื้นที่ขององค์กรสมาชิก",
        "หลักเกณฑ์ วิธีการ และอัตราของสวัสดิการแต่ละประเภท ให้เป็นไปตามระเบียบที่คณะกรรมการกำหนด"
        "โดยความเห็นชอบของที่ประชุมใหญ่",
        "องค์กรสมาชิกที่ประสงค์จะขอรับการช่วยเหลือให้ยื่นคำขอต่อคณะกรรมการภายในเก้าสิบวันนับแต่วันที่เกิดเหตุ",
    ]),
    ("การบัญชีและการรายงาน", [
        "ปีบัญชีของเครือข่ายเริ่มวันที่ ๑ ตุลาคม และสิ้นสุดวันที่ ๓๐ กันยายนของปีถัดไป",
        "ให้เหรัญญิกจัดทำบัญชีรับจ่ายและทะเบียนองค์กรสมาชิกให้เป็นปัจจุบัน และรายงานต่อคณะกรรมการทุกครั้งที่ประชุม",
        "เมื่อสิ้นปีบัญชี ให้ผู้ตรวจสอบบัญชีที่ที่ประชุมใหญ่แต่งตั้งตรวจสอบงบการเงิน "
        "แล้วเสนอต่อที่ประชุมใหญ่ภายในหนึ่งร้อยยี่สิบวัน",
        "ให้คณะกรรมการรายงานผลการดำเนินงานต่อสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงราย"
        "ภายในสามสิบวันนับแต่สิ้นเดือนมีนาคมและสิ้นเดือนกันยายนของทุกปี และเปิดเผยรายงานนั้นต่อสาธารณะ",
    ]),
    ("การแก้ไขเพิ่มเติมข้อบังคับ", [
        "การแก้ไขเพิ่มเติมข้อบังคับจะเสนอโดยคณะกรรมการ หรือโดยองค์กรสมาชิกไม่น้อยกว่าหนึ่งในห้าของ"
        "องค์กรสมาชิกทั้งหมดก็ได้",
        "การแก้ไขเพิ่มเติมข้อบังคับต้องได้รับมติของที่ประชุมใหญ่ด้วยคะแนนเสียงไม่น้อยกว่าสองในสาม"
        "ของผู้แทนที่มาประชุม",
        "เมื่อแก้ไขเพิ่มเติมข้อบังคับแล้ว ให้คณะกรรมการแจ้งนายทะเบียนภายในสามสิบวันนับแต่วันที่ที่ประชุมใหญ่มีมติ",
    ]),
    ("การเลิกเครือข่าย", [
        "เครือข่ายเลิกเมื่อที่ประชุมใหญ่มีมติให้เลิกด้วยคะแนนเสียงไม่น้อยกว่าสามในสี่ของผู้แทนที่มาประชุม "
        "หรือเมื่อถูกเพิกถอนการรับรองเป็นองค์กรสวัสดิการชุมชน",
        "เมื่อเลิกเครือข่าย ทรัพย์สินที่เหลือหลังชำระหนี้แล้วให้โอนแก่องค์กรสวัสดิการชุมชนอื่น"
        "ในจังหวัดเชียงรายที่ที่ประชุมใหญ่กำหนด และจะแบ่งให้แก่องค์กรสมาชิกหรือบุคคลใดมิได้",
        "ให้คณะกรรมการแจ้งการเลิกเครือข่ายต่อนายทะเบียนภายในสามสิบวันนับแต่วันที่เลิก",
    ]),
]


def charter_stream_data(chapters=CHARTER_CHAPTERS):
    """The chapters [(title, [clause, ...]), ...] in the raw form a StreamField accepts on assignment."""
    return [("chapter", {"title": title, "clauses": clauses}) for title, clauses in chapters]


# The Chiang Rai working group (name, position), in the order its minutes list them: both meetings of
# the demo (1/2562 here, the assembly 2/2562 in demo.road) are built from it.
CR_WORKING_GROUP = [
    ("นายบุญเรือน คำมูล", "ประธานคณะทำงาน ผู้แทนเครือข่ายอำเภอเมืองเชียงราย"),
    ("นางสาวพิมพ์ชนก ดวงแก้ว", "เลขานุการคณะทำงาน ผู้แทนเครือข่ายอำเภอเวียงชัย"),
    ("นางคำแปง ใจมา", "ผู้แทนเครือข่ายอำเภอเชียงของ"),
    ("นายสมบัติ อินทรวงศ์", "ผู้แทนเครือข่ายอำเภอเทิง"),
    ("นางบัวคำ ปัญญาดี", "ผู้แทนเครือข่ายอำเภอพาน"),
    ("นายอินถา วงค์ชัย", "ผู้แทนเครือข่ายอำเภอแม่จัน"),
    ("นางศรีนวล สุริยะ", "ผู้แทนเครือข่ายอำเภอเชียงแสน"),
    ("นายจันทร์ติ๊บ ธิวงค์", "ผู้แทนเครือข่ายอำเภอแม่สาย"),
    ("นางเพ็ญศรี ชัยวงศ์", "ผู้แทนเครือข่ายอำเภอแม่สรวย"),
    ("นายคำปัน ยาวิชัย", "เหรัญญิก ผู้แทนเครือข่ายอำเภอเวียงป่าเป้า"),
    ("นายสุริยา แก้วมณี", "ผู้แทนเครือข่ายอำเภอป่าแดด"),
    ("นางอำพร ศรีวิชัย", "ผู้แทนเครือข่ายอำเภอพญาเม็งราย"),
]
# Who records and who reviews the working group's minutes.
CR_MINUTES_SIGNERS = {
    "recorder_name": "นางสาวพิมพ์ชนก ดวงแก้ว",
    "recorder_position": "เลขานุการคณะทำงาน",
    "reviewer_name": "นายบุญเรือน คำมูล",
    "reviewer_position": "ประธานคณะทำงาน",
}


def attending(members, substitutes=None):
    """(name, position, substituting for) rows of `members` [(name, position)]; `substitutes` maps a
    member's name to the person who sat in for them."""
    substitutes = substitutes or {}
    return [
        (substitutes[name], position, name) if name in substitutes else (name, position, "")
        for name, position in members
    ]


def absent(members, reasons):
    """(name, position, reason) rows of the `members` whose names `reasons` gives a reason for."""
    return [(name, position, reasons[name]) for name, position in members if name in reasons]


# The working group's meeting 1/2562.
MINUTES = {**DOCUMENTS["minutes"]["cr_1_2562"], **CR_MINUTES_SIGNERS}
# The first ten attended (Mae Chan's member sent a substitute); the last two sent their apologies.
MINUTES_PRESENT = attending(CR_WORKING_GROUP[:10], {"นายอินถา วงค์ชัย": "นายประเสริฐ กันทะวงค์"})
MINUTES_ABSENT = absent(CR_WORKING_GROUP, {"นายสุริยา แก้วมณี": "ติดภารกิจงานศพในชุมชน", "นางอำพร ศรีวิชัย": "ป่วย"})
MINUTES_OTHERS = [
    ("นายวรวุฒิ ทองคำ", "หัวหน้ากลุ่มนโยบายและวิชาการ ผู้แทนสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงราย"),
    ("นางสาวกาญจนา ศรีสุข", "เจ้าหน้าที่สถาบันพัฒนาองค์กรชุมชน (พอช.)"),
    ("นายธนพล มะโนวงค์", "เจ้าหน้าที่สำนักงานภาคเหนือ สถาบันพัฒนาองค์กรชุมชน"),
]
ACTION_PLAN = DOCUMENTS["action_plans"]["cr_2562"]

# --- Samut Prakan --------------------------------------------------------------------------------

SAMUT_PRAKAN = "11"
SAMUT_PRAKAN_NETWORK = {
    "office_address": "ที่ทำการกองทุนสวัสดิการชุมชนตำบลบางพลีใหญ่ อำเภอบางพลี จังหวัดสมุทรปราการ 10540",
    "welfare_started_on": datetime.date(2010, 3, 1),
    "member_organization_count": 25,
    "member_count": 0,
}
SAMUT_PRAKAN_FUND_COUNT = 25


def choose_member_funds(tambons_by_district, count=SAMUT_PRAKAN_FUND_COUNT):
    """Pick `count` tambon funds taking one from each district in turn, so all six districts are
    represented. `tambons_by_district` is [[tambon area code, ...], ...] in code order."""
    queues = [list(codes) for codes in tambons_by_district]
    chosen = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


def fund_figures(area_code):
    """Members and founding date of a tambon fund: made up, but the same on every run."""
    rng = random.Random(int(area_code))
    members = rng.randrange(150, 1800)
    founded = datetime.date(rng.randrange(2006, 2016), rng.randrange(1, 13), rng.randrange(1, 29))
    return {"member_count": members, "welfare_started_on": founded}


# --- Demo users ----------------------------------------------------------------------------------

DEMO_PASSWORD = "welfare-demo-2562"

# key: (username, first name, last name, description for the README and the command's output)
DEMO_USERS = {
    "cr_member": ("cr_member", "คำแปง", "ใจมา", "Committee member, Chiang Rai provincial network"),
    "cr_secretary": ("cr_secretary", "พิมพ์ชนก", "ดวงแก้ว", "Secretary, Chiang Rai provincial network"),
    "cr_chair": ("cr_chair", "บุญเรือน", "คำมูล", "Chair, Chiang Rai provincial network"),
    "sp_chair": ("sp_chair", "ประยูร", "เรืองศรี", "Chair, Samut Prakan provincial network"),
    "sp_secretary": ("sp_secretary", "วาสนา", "ทองดี", "Secretary, Samut Prakan provincial network"),
    "sp_member": ("sp_member", "สมศักดิ์", "แสงอรุณ", "Committee member, Samut Prakan provincial network"),
    "local_office": ("local_office", "สุดารัตน์", "อินต๊ะ", "Local government office (Ban Du tambon, Mueang Chiang Rai)"),
    "lo_57": ("lo_57", "ประภาพร", "วงศ์ไชย",
              "Local government office: Chiang Rai Provincial Administrative Organization (อบจ.), provincial network"),
    "lo_11": ("lo_11", "ณัฐพล", "ศรีประเสริฐ",
              "Local government office: Samut Prakan Provincial Administrative Organization (อบจ.), provincial network"),
    "officer_57": ("officer_57", "วรวุฒิ", "ทองคำ", "Provincial officer (พมจ.) of Chiang Rai, province 57"),
    "officer_11": ("officer_11", "ธีรพงษ์", "สุขสวัสดิ์", "Provincial officer (พมจ.) of Samut Prakan, province 11"),
    "registrar": ("registrar", "อรุณี", "มั่นคง", "Registrar (นายทะเบียน)"),
    "codi_staff": ("codi_staff", "กาญจนา", "ศรีสุข", "CODI (พอช.) support staff"),
    "admin": ("admin", "ผู้ดูแล", "ระบบ", "Administrator (superuser)"),
}
LOCAL_OFFICE_TAMBON = "570103"  # บ้านดู่, อำเภอเมืองเชียงราย
