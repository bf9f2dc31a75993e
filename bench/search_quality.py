"""Recall and precision of Thai search, measured on a labelled set written for this purpose.

    .venv/bin/python bench/search_quality.py                 # SQLite (an in-memory scratch database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_s .venv/bin/python bench/search_quality.py
                                                             # PostgreSQL (creates and drops test_welfare_s)
    add -v to list, per query and set-up, what was missed and what was found wrongly.

Three set-ups index the same 41 short Thai documents (networks, charters, action plans, minutes
in five provinces) and answer the same queries through thaisearch.search():

  (a) plain    Wagtail's database backend as shipped (text indexed as written)
  (b) segment  PyThaiNLP newmm segmentation at index and query time; query words ANDed
  (c) full     segmentation + compound splitting + the query's words as adjacent phrases

Relevance was judged by hand: a document is relevant to a query when the query's word occurs in
it as a word (also inside a longer compound: "ระเบียบ" in "มีระเบียบวินัย"), and for a query of
several words written together, when those words stand side by side ("แผนปฏิบัติการ" is not
relevant to a text that says "แผน" here and "ปฏิบัติงาน" there). Queries with a space need every
part. A province's name (Thai or English) is relevant to every network of the province and to
their documents, as the issue asks ("a province name finds its networks"). The pages that only
hold the tree together (national, region, district networks) are not
scored.
"""

import datetime
import os
import sys
import time
from pathlib import Path

import django
from django.db import connection
from wagtail.search.backends import get_search_backend

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
# A script, not a module to import: the apps are loaded here so that the models can be imported below.
django.setup()

from wagtail.search.models import IndexEntry  # noqa: E402

from networks.models import HomePage, NetworkPage  # noqa: E402
from pages.models import ActionPlanPage, AgendaItem, CharterPage, MeetingMinutesPage  # noqa: E402
from thaisearch import search  # noqa: E402
from thaisearch.backend import SearchBackend as ThaiSearchBackend  # noqa: E402
from thaisearch.sqlite_fts import DEFAULT_TOKENIZER, THAI_TOKENIZER, rebuild_fts_table  # noqa: E402

# (key, province code, Thai name, English name)
PROVINCE_NETWORKS = [
    ("n57", "57", "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "Chiang Rai Community Welfare Network"),
    ("n50", "50", "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่", "Chiang Mai Community Welfare Network"),
    ("n11", "11", "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "Samut Prakan Community Welfare Network"),
    ("n40", "40", "เครือข่ายสวัสดิการชุมชนจังหวัดขอนแก่น", "Khon Kaen Community Welfare Network"),
    ("n90", "90", "เครือข่ายสวัสดิการชุมชนจังหวัดสงขลา", "Songkhla Community Welfare Network"),
]
TAMBON_FUNDS = [
    ("t57", "57", "กองทุนสวัสดิการชุมชนตำบลแม่สาย", "Mae Sai Tambon Community Welfare Fund"),
    ("t11", "11", "กองทุนสวัสดิการชุมชนตำบลบางพลีใหญ่", "Bang Phli Yai Tambon Community Welfare Fund"),
]
# (key, province code, title, text)
CHARTERS = [
    ("c1", "57", "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
     "สมาชิกต้องเป็นผู้มีระเบียบวินัยและพำนักอยู่ในจังหวัดไม่น้อยกว่าหนึ่งปี สมาชิกชำระเงินสมทบวันละหนึ่งบาท"),
    ("c2", "57", "ระเบียบกองทุนสวัสดิการชุมชนตำบลแม่สาย ว่าด้วยการจ่ายสวัสดิการ",
     "กองทุนจ่ายค่ารักษาพยาบาลให้สมาชิกที่นอนโรงพยาบาลคืนละสองร้อยบาท ไม่เกินปีละสิบคืน"),
    ("c3", "50", "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงใหม่",
     "คณะกรรมการมีวาระการดำรงตำแหน่งคราวละสองปี และให้เลือกตั้งในที่ประชุมใหญ่สามัญประจำปี"),
    ("c4", "50", "ระเบียบว่าด้วยการบัญชีและการเงิน",
     "เหรัญญิกต้องจัดทำบัญชีรับจ่ายเป็นปัจจุบัน และรายงานฐานะการเงินต่อคณะกรรมการทุกเดือน"),
    ("c5", "11", "ข้อบังคับกองทุนสวัสดิการชุมชนตำบลบางพลีใหญ่",
     "ผู้ที่ประสงค์จะเป็นสมาชิกให้ยื่นใบสมัครพร้อมสำเนาทะเบียนบ้าน และให้เลขานุการบันทึกลงในบัญชีรายชื่อสมาชิก"),
    ("c6", "11", "ข้อบังคับว่าด้วยสวัสดิการผู้สูงอายุ",
     "สมาชิกที่มีอายุครบหกสิบปีและเป็นสมาชิกต่อเนื่องสิบปีขึ้นไปได้รับเงินบำนาญเดือนละสามร้อยบาท"),
    ("c7", "40", "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดขอนแก่น",
     "เงินกองทุนมาจากเงินสมทบของสมาชิก เงินอุดหนุนจากองค์กรปกครองส่วนท้องถิ่น และเงินบริจาค"),
    ("c8", "40", "ระเบียบการแก้ไขข้อบังคับ",
     "การแก้ไขเพิ่มเติมข้อบังคับต้องได้รับมติเห็นชอบไม่น้อยกว่าสองในสามของสมาชิกที่มาประชุม"),
    ("c9", "90", "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดสงขลา",
     "เมื่อสมาชิกเสียชีวิต กองทุนจ่ายเงินช่วยเหลือจัดการศพให้แก่ทายาทตามอายุการเป็นสมาชิก"),
    ("c10", "90", "ข้อบังคับว่าด้วยการเลิกกองทุน",
     "หากต้องเลิกกองทุน ให้โอนทรัพย์สินที่เหลือให้แก่องค์กรสวัสดิการชุมชนที่มีวัตถุประสงค์คล้ายกัน"),
    ("c11", "57", "ข้อบังคับว่าด้วยสวัสดิการการเกิด",
     "มารดาที่เป็นสมาชิกได้รับเงินรับขวัญบุตรแรกเกิดรายละห้าร้อยบาท"),
    ("c12", "50", "ข้อบังคับว่าด้วยการตรวจสอบบัญชี",
     "ให้มีผู้ตรวจสอบบัญชีซึ่งไม่ใช่กรรมการ ทำหน้าที่ตรวจบัญชีปีละหนึ่งครั้ง"),
]
PLANS = [
    ("p1", "57", "แผนปฏิบัติการประจำปี ๒๕๖๙ จังหวัดเชียงราย",
     "ขยายฐานสมาชิกให้ครอบคลุมทุกหมู่บ้าน และจัดอบรมคณะทำงานเรื่องระบบข้อมูล"),
    ("p2", "50", "แผนพัฒนาระบบข้อมูลสมาชิก",
     "บันทึกข้อมูลสมาชิกลงโปรแกรมคอมพิวเตอร์ และปรับปรุงบัญชีรายชื่อให้ถูกต้องทุกไตรมาส"),
    ("p3", "11", "แผนงานเชื่อมโยงกับองค์การบริหารส่วนตำบล",
     "เสนอโครงการต่อองค์การบริหารส่วนตำบลเพื่อขอรับการสมทบงบประมาณปีละหนึ่งครั้ง"),
    ("p4", "40", "แผนปฏิบัติการด้านการติดตามกองทุน",
     "ติดตามและทบทวนการบริหารจัดการกองทุนสวัสดิการชุมชนตำบลระหว่างวันที่ 20 พฤษภาคม ถึง 15 มิถุนายน"),
    ("p5", "90", "แผนการระดมทุนจากภาคเอกชน",
     "จัดกิจกรรมผ้าป่าสามัคคีเพื่อระดมทุนเข้ากองทุนและประชาสัมพันธ์ให้ประชาชนรู้จักเครือข่าย"),
    ("p6", "57", "แผนพัฒนาศักยภาพคณะกรรมการ",
     "จัดเวทีแลกเปลี่ยนเรียนรู้ระหว่างกรรมการกองทุนต่างตำบล และศึกษาดูงานที่จังหวัดใกล้เคียง"),
    ("p7", "50", "แผนงานสวัสดิการผู้สูงอายุและผู้พิการ",
     "สำรวจผู้สูงอายุที่อยู่ตามลำพังและผู้พิการในชุมชน เพื่อจัดสวัสดิการเยี่ยมบ้าน"),
    ("p8", "11", "แผนการจัดทำรายงานการเงิน",
     "จัดทำรายงานการเงินรายไตรมาสและเผยแพร่ให้สมาชิกทราบที่ศาลาประชาคม"),
    ("p9", "40", "แผนส่งเสริมการออม",
     "รณรงค์ให้เยาวชนออมเงินวันละบาท และมอบรางวัลให้หมู่บ้านที่มีสมาชิกใหม่มากที่สุด"),
    ("p10", "90", "แผนปรับปรุงข้อบังคับ",
     "จัดประชุมรับฟังความคิดเห็นเพื่อยกร่างระเบียบข้อบังคับฉบับใหม่ให้สอดคล้องกับกฎหมาย"),
]
MINUTES = [
    ("m1", "57", "รายงานการประชุมคณะกรรมการ ครั้งที่ 1/2569",
     "ที่ประชุมมีมติรับรองรายงานการประชุมครั้งที่แล้วโดยไม่มีการแก้ไข"),
    ("m2", "57", "รายงานการประชุมคณะทำงาน ครั้งที่ 2/2569",
     "เลขานุการเสนอร่างแผนปฏิบัติการ ที่ประชุมเห็นชอบให้นำเสนอที่ประชุมใหญ่"),
    ("m3", "50", "รายงานการประชุมใหญ่สามัญประจำปี",
     "ที่ประชุมใหญ่เลือกตั้งกรรมการชุดใหม่จำนวนสิบห้าคนแทนชุดที่ครบวาระ"),
    ("m4", "50", "รายงานการประชุมคณะกรรมการ ครั้งที่ 3/2569",
     "เหรัญญิกรายงานว่ามีเงินสมทบค้างชำระจากสมาชิกยี่สิบราย ที่ประชุมให้ติดตามทวงถาม"),
    ("m5", "11", "รายงานการประชุมเครือข่าย ครั้งที่ 1/2569",
     "ประธานแจ้งผลการประเมินคุณภาพกองทุนว่าได้ระดับเอ"),
    ("m6", "11", "รายงานการประชุมคณะกรรมการ ครั้งที่ 2/2569",
     "พิจารณายกร่างระเบียบข้อบังคับ ที่ประชุมให้คณะทำงานปรับถ้อยคำก่อนเสนอที่ประชุมใหญ่"),
    ("m7", "40", "รายงานการประชุมคณะกรรมการ ครั้งที่ 1/2569",
     "ที่ประชุมทบทวนแผนเดิม และมอบให้ฝ่ายปฏิบัติงานสรุปการใช้จ่ายของปีที่ผ่านมา"),
    ("m8", "40", "รายงานการประชุมร่วมกับองค์การบริหารส่วนตำบล",
     "ผู้แทนองค์การบริหารส่วนตำบลยืนยันว่าจะสมทบงบประมาณให้กองทุนในปีงบประมาณหน้า"),
    ("m9", "90", "รายงานการประชุมคณะกรรมการ ครั้งที่ 4/2569",
     "ที่ประชุมพิจารณาคำขอรับค่ารักษาพยาบาลของสมาชิกสามราย และอนุมัติจ่ายทั้งหมด"),
    ("m10", "90", "รายงานการประชุมสามัญ ครั้งที่ 5/2569",
     "ที่ประชุมรับทราบรายงานการเงินประจำเดือนและบัญชีรายชื่อสมาชิกที่ลาออก"),
    ("m11", "57", "รายงานการประชุมคณะกรรมการ ครั้งที่ 3/2569",
     "ที่ประชุมหารือเรื่องการจ่ายเงินช่วยเหลือจัดการศพ และให้เพิ่มอัตราตามอายุการเป็นสมาชิก"),
    ("m12", "11", "รายงานการประชุมคณะทำงาน ครั้งที่ 3/2569",
     "คณะทำงานสรุปผลการเยี่ยมบ้านผู้สูงอายุและผู้ป่วยติดเตียงในชุมชน"),
]

ALL_MINUTES = {key for key, *_ in MINUTES}


def in_province(code):
    return {key for key, province, *_ in PROVINCE_NETWORKS + TAMBON_FUNDS + CHARTERS + PLANS + MINUTES
            if province == code}


ALL_CHARTERS = {key for key, *_ in CHARTERS}
# query -> the documents relevant to it (judged by hand, see the module docstring)
LABELS = {
    # words that the dictionary keeps inside longer compounds
    "ระเบียบ": {"c1", "c2", "c4", "c8", "m6", "p10"},
    "บัญชี": {"c4", "c5", "c12", "m10", "p2"},
    "สมทบ": {"c1", "c7", "m4", "m8", "p3"},
    "รายชื่อ": {"c5", "m10", "p2"},
    "มติ": {"c8", "m1"},
    "กรรมการ": {"c3", "c4", "c12", "m1", "m3", "m4", "m6", "m7", "m9", "m11", "p6"},
    "พยาบาล": {"c2", "m9"},
    "ยกร่าง": {"m6", "p10"},
    "วาระ": {"c3", "m3"},
    "ออม": {"p9"},
    "ประชุม": ALL_MINUTES | {"c3", "c8", "p10"},
    "แผน": {f"p{n}" for n in range(1, 11)} | {"m2", "m7"},  # แผนงาน, แผนการ, แผนเดิม, ...
    "บ้าน": {"c5", "p1", "p9", "p7", "m12"},  # ทะเบียนบ้าน, หมู่บ้าน, เยี่ยมบ้าน
    "อายุ": {"c6", "c9", "m11", "m12", "p7"},  # ผู้สูงอายุ, อายุครบ, อายุการเป็นสมาชิก
    # single words and names
    "กองทุน": {"c2", "c5", "c7", "c9", "c10", "m5", "m8", "p4", "p5", "p6", "t11", "t57"},
    "สมาชิก": {"c1", "c2", "c5", "c6", "c7", "c8", "c9", "c11", "m4", "m9", "m10", "m11", "p1", "p2", "p8", "p9"},
    "ข้อบังคับ": (ALL_CHARTERS - {"c2", "c4"}) | {"m6", "p10"},
    "ตำบล": {"c2", "c5", "m8", "p3", "p4", "p6", "t11", "t57"},
    "เหรัญญิก": {"c4", "m4"},
    "ศพ": {"c9", "m11"},
    # a province name: the province's networks and their documents, whether they name it or not
    "เชียงราย": in_province("57"),
    "ขอนแก่น": in_province("40"),
    "สงขลา": in_province("90"),
    "2569": (ALL_MINUTES - {"m3", "m8"}) | {"p1"},  # p1 writes the year in Thai digits
    # several words written together: they must stand side by side
    "แผนปฏิบัติการ": {"m2", "p1", "p4"},
    "ค่ารักษาพยาบาล": {"c2", "m9"},
    "ที่ประชุมใหญ่": {"c3", "m2", "m3", "m6"},
    "รายงานการเงิน": {"m10", "p8"},
    "ผู้สูงอายุ": {"c6", "m12", "p7"},
    "ระบบข้อมูล": {"p1", "p2"},
    "งบประมาณ": {"m8", "p3"},
    "องค์การบริหารส่วนตำบล": {"m8", "p3"},
    "เยี่ยมบ้าน": {"m12", "p7"},
    "ตรวจสอบบัญชี": {"c12"},
    "เงินสมทบ": {"c1", "c7", "m4"},
    "บัญชีรายชื่อ": {"c5", "m10", "p2"},
    "การเงิน": {"c4", "m10", "p8"},
    # several ideas: every one must be there
    "กองทุน ตำบล": {"c2", "c5", "m8", "p4", "p6", "t11", "t57"},
    "สวัสดิการ ผู้สูงอายุ": {"c6", "p7"},
    # English names
    "Chiang Mai": in_province("50"),
    "Khon Kaen": in_province("40"),
    "Songkhla": in_province("90"),
    "welfare fund": {"t11", "t57"},
    "community welfare network": {"n57", "n50", "n11", "n40", "n90"},
}


def build_corpus():
    """The pages, published; returns {page id: key} of the scored documents."""
    keys = {}
    home = HomePage.objects.get()
    national = home.add_child(instance=NetworkPage(title="ระดับชาติ", level="national"))
    region = national.add_child(instance=NetworkPage(title="ภาค", level="region"))
    provinces = {}
    for key, code, title, name_en in PROVINCE_NETWORKS:
        page = region.add_child(
            instance=NetworkPage(title=title, name_en=name_en, level="province", area_code=code)
        )
        provinces[code] = page
        keys[page.pk] = key
    for n, (key, code, title, name_en) in enumerate(TAMBON_FUNDS, 1):
        district = provinces[code].add_child(
            instance=NetworkPage(title=f"อำเภอ {n}", level="district", area_code=f"{code}0{n}")
        )
        page = district.add_child(
            instance=NetworkPage(title=title, name_en=name_en, level="tambon", area_code=f"{code}0{n}01")
        )
        keys[page.pk] = key

    def publish(key, network, page):
        network.add_child(instance=page)
        page.save_revision().publish()
        keys[page.pk] = key

    for key, code, title, text in CHARTERS:
        chapters = [("chapter", {"title": "บททั่วไป", "clauses": [text]})]
        charter = CharterPage(title=title, version_label="ฉบับแรก", chapters=chapters, live=False)
        publish(key, provinces[code], charter)
    for key, code, title, text in PLANS:
        publish(key, provinces[code], ActionPlanPage(title=title, fiscal_year=2569, goals=text, live=False))
    for number, (key, code, title, text) in enumerate(MINUTES, 1):
        minutes = MeetingMinutesPage(
            title=title,
            body_name="คณะ",
            meeting_number=number,
            meeting_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            place="ศาลาอเนกประสงค์",
            live=False,
        )
        minutes.agenda_items.add(AgendaItem(title="เรื่องเพื่อพิจารณา", summary=text))
        publish(key, provinces[code], minutes)
    return keys


def reindex(backend):
    backend.reset_indexes()
    for model in (NetworkPage, CharterPage, ActionPlanPage, MeetingMinutesPage):
        backend.add_bulk(model, list(model.objects.all()))


def evaluate(name, backend, keys, verbose):
    reindex(backend)
    relevant_total = retrieved_total = true_positive_total = 0
    recalls, precisions, lines = [], [], []
    started = time.perf_counter()
    for query, relevant in LABELS.items():
        found = {keys[hit.page.pk] for hit in search(query, limit=100, backend=backend) if hit.page.pk in keys}
        hits = found & relevant
        relevant_total += len(relevant)
        retrieved_total += len(found)
        true_positive_total += len(hits)
        recalls.append(len(hits) / len(relevant))
        precisions.append(len(hits) / len(found) if found else 0.0)
        if verbose and (found != relevant):
            lines.append(
                f"    {query!r}: missed {sorted(relevant - found)}, wrongly found {sorted(found - relevant)}"
            )
    elapsed = (time.perf_counter() - started) / len(LABELS) * 1000
    recall = true_positive_total / relevant_total
    precision = true_positive_total / retrieved_total if retrieved_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    perfect = sum(1 for r, p in zip(recalls, precisions, strict=True) if r == 1 and p == 1)
    print(
        f"{name:<40} {recall:7.3f} {precision:9.3f} {f1:6.3f} "
        f"{sum(recalls) / len(recalls):8.3f} {sum(precisions) / len(precisions):8.3f} "
        f"{perfect:>4}/{len(LABELS)} {elapsed:7.1f}"
    )
    for line in lines:
        print(line)


def main(verbose=False):
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        keys = build_corpus()
        documents = len(keys)
        print(
            f"{connection.vendor}: {documents} documents, {len(LABELS)} queries "
            "(micro recall/precision/F1 over all query-document pairs; macro = mean per query)"
        )
        print(f"{'set-up':<40} {'recall':>7} {'precision':>9} {'F1':>6} {'macro R':>8} {'macro P':>8} "
              f"{'exact':>9} {'ms/query':>7}")
        entries_table = IndexEntry._meta.db_table
        setups = [
            # As shipped, including SQLite's own FTS5 tokenizer (thaisearch's migration changes it).
            ("(a) Wagtail database search, plain", DEFAULT_TOKENIZER, "wagtail.search.backends.database", {}),
            ("(b) segmentation only", THAI_TOKENIZER, None, {"SPLIT_COMPOUNDS": False, "PHRASE_QUERIES": False}),
            ("(c) segmentation + compounds + phrases", THAI_TOKENIZER, None, {}),
        ]
        for name, tokenizer, backend_path, params in setups:
            rebuild_fts_table(connection, entries_table, tokenizer)
            backend = get_search_backend(backend_path) if backend_path else ThaiSearchBackend(params)
            evaluate(name, backend, keys, verbose)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
