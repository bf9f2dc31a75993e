"""A national-size corpus of live documents, for measuring (`manage.py load_scale_corpus`).

Charters, meeting minutes and action plans are spread over the province, district and tambon
networks of the whole country. Their Thai text is generated: sentence frames written for this
module, filled with words drawn from PyThaiNLP's offline word and name lists, so that every document
reads differently and search has a realistic vocabulary to index.

Speed comes from the approach of `networks.tree`: treebeard paths, depths and URL paths are computed
here, and the rows go in as prepared values (Django's bulk_create refuses multi-table models, and
building a model instance per agenda item or attendee costs more than writing it): COPY on
PostgreSQL (page ids drawn from the page sequence first), multi-row INSERTs on SQLite. The
`wagtailcore_page` rows, each page type's own rows, the inline rows (agenda items, attendees,
activities); then the networks' child counts with one `bulk_update` per batch. The search index is
built once at the end.

No revisions are written: the public pages, the registry and the workflows read the live page rows
(a workflow started later saves its own revision, and Wagtail's editor falls back to the live page).

A second run adds N more documents: the random stream is seeded with `--seed` and the number of
documents already there, and every counter (meeting numbers per network and year, plan years, charter
amendments, registration serials, sibling slugs and tree positions) continues from the database.
"""

import datetime
import hashlib
import itertools
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from core.thaidate import BE_OFFSET, thai_numerals
from core.wagtail_compat import child_page_path, page_path_step
from networks.models import NetworkLevel, NetworkPage
from networks.signals import pages_loaded_in_bulk
from networks.tree import TreeLoader
from pages.models import (
    AbsentMember,
    ActionPlanActivity,
    ActionPlanPage,
    ActivityStatus,
    AgendaItem,
    BudgetSource,
    CharterPage,
    MeetingMinutesPage,
    OtherAttendee,
    PlanArea,
    PresentMember,
)
from registry.models import RegistrationNumberSequence, RegistryEntry
from registry.services import registration_number, sha256_of

from . import content as demo_content

CHARTER, MINUTES, PLAN = "charter", "minutes", "plan"
KIND_MODELS = {CHARTER: CharterPage, MINUTES: MeetingMinutesPage, PLAN: ActionPlanPage}
# Shares of the corpus: a network writes minutes most often, a plan each year, a charter rarely.
KIND_SHARES = {CHARTER: 0.2, MINUTES: 0.5, PLAN: 0.3}
# How often a network of each level is picked: fewer provincial networks, but busier ones.
LEVEL_WEIGHTS = {NetworkLevel.PROVINCE: 8, NetworkLevel.DISTRICT: 3, NetworkLevel.TAMBON: 1}
# The share of charters that are registered: of the charters that are their network's first and
# whose network has no registry entry yet (a network registers once; later charters are amendments).
REGISTERED_SHARE = 0.6
FIRST_YEAR = 2020  # B.E. 2563: documents are dated from here on
MEETINGS_PER_YEAR = 10
LAST_PLAN_YEAR = 2570  # B.E.: a network's plans of one run end by this fiscal year (2027)

# --- Text ----------------------------------------------------------------------------------------

# Chapter headings of the demo charter, then a few more a charter may have.
CHAPTER_TITLES = [title for title, _clauses in demo_content.CHARTER_CHAPTERS] + [
    "การประชุมใหญ่", "ผู้ตรวจสอบกิจการ", "ที่ปรึกษาเครือข่าย", "บทเฉพาะกาล",
]
CLAUSE_OPENINGS = [
    "ให้คณะกรรมการกำหนดแนวทางเรื่อง", "สมาชิกมีสิทธิได้รับสวัสดิการด้าน", "เครือข่ายส่งเสริมการดำเนินงานด้าน",
    "การใช้จ่ายเงินกองทุนเพื่อ", "ให้เหรัญญิกจัดทำรายงานเกี่ยวกับ", "องค์กรสมาชิกต้องแจ้งข้อมูลเรื่อง",
    "ที่ประชุมใหญ่อาจมีมติเกี่ยวกับ", "ให้เลขานุการเก็บรักษาเอกสารว่าด้วย", "เครือข่ายอาจร่วมมือกับหน่วยงานอื่นในเรื่อง",
    "ผู้ตรวจสอบกิจการมีหน้าที่ตรวจดู",
]
CLAUSE_LINKS = ["โดยคำนึงถึง", "ร่วมกับ", "ภายใต้หลักเกณฑ์ว่าด้วย", "และรายงานผลเรื่อง", "ควบคู่กับ", "เพื่อสนับสนุน"]
CLAUSE_ENDINGS = [
    "ทั้งนี้ให้เป็นไปตามระเบียบที่ที่ประชุมใหญ่กำหนด", "ภายในสามสิบวันนับแต่วันที่มีมติ", "โดยเปิดเผยต่อสมาชิกทุกคน",
    "และแจ้งให้องค์กรปกครองส่วนท้องถิ่นทราบ", "ตามที่คณะกรรมการเห็นสมควร", "",
]
AGENDA_FRAMES = [
    "พิจารณาแนวทาง{}", "รายงานความก้าวหน้าเรื่อง{}", "ติดตามผลการดำเนินงานด้าน{}", "ขอความเห็นชอบโครงการ{}",
    "ทบทวนระเบียบว่าด้วย{}", "เสนอแผนการจัดสวัสดิการเรื่อง{}",
]
SUMMARY_FRAMES = [
    "กองเลขานุการรายงานว่า{} ยังต้องการการสนับสนุนจาก{}",
    "ผู้แทนองค์กรสมาชิกเสนอให้ปรับปรุงเรื่อง{} โดยเชื่อมโยงกับ{}",
    "คณะทำงานสรุปผลการลงพื้นที่ พบว่า{} มีความคืบหน้า แต่ยังติดขัดเรื่อง{}",
    "เหรัญญิกชี้แจงรายรับรายจ่ายที่เกี่ยวกับ{} และภาระที่เกิดจาก{}",
]
RESOLUTION_FRAMES = [
    "ที่ประชุมมีมติเห็นชอบให้ดำเนินการเรื่อง{}", "มอบหมายคณะทำงานศึกษาเรื่อง{} แล้วรายงานในการประชุมครั้งถัดไป",
    "รับทราบ และให้ติดตามเรื่อง{} อย่างต่อเนื่อง", "ที่ประชุมมีมติให้ปรับแผนเรื่อง{} ตามข้อเสนอ",
]
GOAL_FRAMES = [
    "องค์กรสมาชิกมีระบบข้อมูลเรื่อง{} ที่ตรงกันและเป็นปัจจุบัน",
    "สมาชิกกองทุนได้รับสวัสดิการด้าน{} ทั่วถึงมากขึ้น",
    "เครือข่ายมีความร่วมมือกับท้องถิ่นในเรื่อง{}",
]
ACTIVITY_FRAMES = [
    "อบรมคณะกรรมการเรื่อง{}", "สำรวจข้อมูลสมาชิกด้าน{}", "จัดเวทีแลกเปลี่ยนเรื่อง{}", "ประสานท้องถิ่นเรื่อง{}",
    "ติดตามกองทุนด้าน{}", "จัดทำคู่มือ{}",
]
OPENING_ITEM = "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"
CLOSING_ITEM = "เรื่องอื่น ๆ"
PLACES = ["ห้องประชุมที่ทำการกองทุน", "ศาลาอเนกประสงค์หมู่บ้าน", "ห้องประชุมองค์การบริหารส่วนตำบล",
          "ห้องประชุมที่ว่าการอำเภอ", "ศูนย์ประสานงานเครือข่าย", "ห้องประชุมโรงเรียน"]
BODY_PREFIXES = ["คณะกรรมการ", "คณะทำงาน", "ที่ประชุมใหญ่"]
COMMITTEE_POSITIONS = ["ประธาน", "รองประธาน", "เลขานุการ", "เหรัญญิก", "กรรมการ", "กรรมการ", "กรรมการ", "ผู้ทรงคุณวุฒิ"]
ABSENCE_REASONS = ["ติดภารกิจในชุมชน", "ป่วย", "ไปต่างจังหวัด", "ติดประชุมหน่วยงานอื่น", "ลากิจ"]
GUEST_POSITIONS = ["เจ้าหน้าที่สถาบันพัฒนาองค์กรชุมชน (พอช.)", "ผู้แทนสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด",
                   "ผู้แทนองค์การบริหารส่วนตำบล", "ผู้แทนเทศบาล"]


class Vocabulary:
    """PyThaiNLP's word and name lists (offline), sorted so that one seed gives one corpus."""

    def __init__(self):
        def thai_only(words, shortest):
            return sorted(w for w in words if len(w) >= shortest and all("\u0e01" <= c <= "\u0e4e" for c in w))

        self.words = thai_only(thai_words(), 3)
        # Real text is Zipfian: a few words everywhere, most rare. Ranks are fixed (seed 0), so every
        # run shares the same common words; the k-th word is drawn with weight 1/(k + 10).
        random.Random(0).shuffle(self.words)
        self.word_weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(self.words))))
        self.male = thai_only(thai_male_names(), 2)
        self.female = thai_only(thai_female_names(), 2)
        self.family = thai_only(thai_family_names(), 3)


class TextMaker:
    """Sentences for one run; `rng` decides everything, so a seed gives the same corpus."""

    def __init__(self, rng, vocabulary):
        self.rng = rng
        self.vocabulary = vocabulary
        self.seen = set()

    def topic(self, low=2, high=3):
        # Drawn words are separated by spaces, as Thai separates phrases: every one stays findable.
        vocabulary = self.vocabulary
        words = self.rng.choices(vocabulary.words, cum_weights=vocabulary.word_weights, k=self.rng.randint(low, high))
        return " ".join(words)

    def clause(self):
        rng = self.rng
        ending = rng.choice(CLAUSE_ENDINGS)
        text = f"{rng.choice(CLAUSE_OPENINGS)}{self.topic()} {rng.choice(CLAUSE_LINKS)}{self.topic(1, 2)}"
        return f"{text} {ending}" if ending else text

    def frame(self, frames):
        template = self.rng.choice(frames)
        return template.format(*(self.topic(1, 3) for _ in range(template.count("{}"))))

    def person(self):
        rng = self.rng
        if rng.random() < 0.5:
            title, first = "นาย", rng.choice(self.vocabulary.male)
        else:
            title, first = rng.choice(("นาง", "นางสาว")), rng.choice(self.vocabulary.female)
        return f"{title}{first} {rng.choice(self.vocabulary.family)}"

    def is_new(self, text):
        """False if this text was generated before in this run (astronomically rare; the caller
        draws again, so every document's text is unique)."""
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if digest in self.seen:
            return False
        self.seen.add(digest)
        return True


# --- Networks and what they hold already --------------------------------------------------------


@dataclass
class NetworkSlot:
    """A network that receives documents, and its counters, read from the database then kept here."""

    page: Page
    level: str
    province_code: str
    last_step: int = 0
    taken_slugs: set = field(default_factory=set)
    added: int = 0
    charters: int = 0
    registered: bool = False
    meeting: tuple = (0, 0)  # (Buddhist year, number) of the latest meeting
    last_plan_year: int = 0
    plans_to_come: int = 0  # plans this run gives the network


def load_slots():
    """Every province, district and tambon network with its counters, in tree order (four queries
    and one pass over the pages below the networks)."""
    networks = NetworkPage.objects.filter(level__in=list(LEVEL_WEIGHTS)).order_by("path").only(
        "id", "path", "depth", "numchild", "url_path", "title", "level", "province_code"
    )
    slots = {n.path: NetworkSlot(page=n, level=n.level, province_code=n.province_code) for n in networks}
    if not slots:
        return []
    depths = {len(path) // Page.steplen + 1 for path in slots}
    for path, slug in Page.objects.filter(depth__in=depths).values_list("path", "slug").iterator(chunk_size=5000):
        slot = slots.get(path[: -Page.steplen])
        if slot is not None:
            slot.taken_slugs.add(slug)
            slot.last_step = max(slot.last_step, page_path_step(path))
    by_id = {slot.page.pk: slot for slot in slots.values()}
    for network_id, count in CharterPage.objects.values_list("network_id").annotate(n=Count("pk")).order_by():
        if network_id in by_id:
            by_id[network_id].charters = count
    for network_id, year, number in (
        MeetingMinutesPage.objects.values_list("network_id", "buddhist_year").annotate(n=Max("meeting_number"))
        .order_by()
    ):
        if network_id in by_id:
            by_id[network_id].meeting = max(by_id[network_id].meeting, (year, number))
    for network_id, year in ActionPlanPage.objects.values_list("network_id").annotate(y=Max("fiscal_year")).order_by():
        if network_id in by_id:
            by_id[network_id].last_plan_year = year
    for network_id in RegistryEntry.objects.values_list("network_id", flat=True):
        if network_id in by_id:
            by_id[network_id].registered = True
    return list(slots.values())


# --- The loader ----------------------------------------------------------------------------------


@dataclass
class CorpusResult:
    created: dict = field(default_factory=dict)  # kind -> documents
    registered: int = 0
    networks_created: int = 0
    tree_index_seconds: float = 0.0
    seconds: dict = field(default_factory=dict)  # phase -> seconds
    page_ids: dict = field(default_factory=dict)  # kind -> [page id, ...]

    @property
    def total_created(self):
        return sum(self.created.values())

    def add_time(self, phase, seconds):
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds


class CorpusLoader:
    """`CorpusLoader(seed=1).load(50_000)` adds 50,000 live documents (and the tree if missing)."""

    def __init__(self, seed=1, batch_size=2000, search_index=True, progress=False):
        self.seed = seed
        self.batch_size = batch_size
        self.search_index = search_index
        self.progress = progress
        self.result = CorpusResult()
        self.now = timezone.now()

    # -- phases --

    def load(self, documents):
        self._timed("tree", self.ensure_tree)
        slots = load_slots()
        if not slots:
            raise RuntimeError("No province, district or tambon network to hold the documents.")
        existing = Page.objects.filter(content_type__in=self._content_types().values()).count()
        # Seeded with what exists: a second run draws other networks, other words, other numbers.
        rng = random.Random(f"{self.seed}:{existing}")
        self.text = TextMaker(rng, Vocabulary())
        self.rng = rng
        self.locale = Locale.get_default()
        kinds = self.plan_kinds(documents)
        weights = [LEVEL_WEIGHTS[slot.level] for slot in slots]
        targets = rng.choices(slots, weights=weights, k=documents)
        self.to_register = []
        bar = self._bar(documents, "documents")
        planned = list(zip(kinds, targets, strict=True))
        for kind, slot in planned:
            slot.plans_to_come += kind == PLAN
        for start in range(0, documents, self.batch_size):
            batch = planned[start:start + self.batch_size]
            with transaction.atomic():
                self.write_batch(batch)
            bar.update(len(batch))
        bar.close()
        self._timed("registry", self.register)
        if self.search_index:
            self._timed("index", self.build_index)
        self._timed("analyze", self.analyze)
        # Once everything is written: the public page cache starts afresh.
        pages_loaded_in_bulk.send(sender=type(self))
        return self.result

    def ensure_tree(self):
        if not NetworkPage.objects.filter(level=NetworkLevel.NATIONAL).exists():
            created = TreeLoader(search_index=self.search_index).load()
            self.result.networks_created = created.total_created
            self.result.tree_index_seconds = created.index_seconds

    def plan_kinds(self, documents):
        """Exactly the shares of KIND_SHARES (rounded), in a shuffled order."""
        charters = round(documents * KIND_SHARES[CHARTER])
        plans = round(documents * KIND_SHARES[PLAN])
        kinds = [CHARTER] * charters + [PLAN] * plans + [MINUTES] * (documents - charters - plans)
        self.rng.shuffle(kinds)
        return kinds

    def write_batch(self, batch):
        started = time.perf_counter()
        specifics, children = [], []
        for kind, slot in batch:
            page, rows = getattr(self, f"make_{kind}")(slot)
            self._place(page, slot)
            specifics.append((kind, page))
            children.append(rows)
        if connection.vendor == "postgresql":
            for (_kind, page), page_id in zip(specifics, next_page_ids(len(specifics)), strict=True):
                page.id = page.page_ptr_id = page_id
            page_fields = list(Page._meta.concrete_fields)
            insert_rows(Page, page_fields, [prepared_values(page, page_fields) for _kind, page in specifics])
        else:
            page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
            ids = dict(insert_rows(
                Page, page_fields, [prepared_values(page, page_fields) for _kind, page in specifics],
                returning=[Page._meta.get_field("path"), Page._meta.pk],
            ))
            for _kind, page in specifics:
                page.id = page.page_ptr_id = ids[page.path]
        # The networks' child counts were raised in _place.
        touched = {slot.page.pk: slot.page for _kind, slot in batch}
        Page.objects.bulk_update(list(touched.values()), ["numchild"], batch_size=1000)
        self.result.add_time("pages", time.perf_counter() - started)

        started = time.perf_counter()
        for kind, model in KIND_MODELS.items():
            pages = [page for k, page in specifics if k == kind]
            if pages:
                fields = list(model._meta.local_concrete_fields)
                insert_rows(model, fields, [prepared_values(page, fields) for page in pages])
                self.result.created[kind] = self.result.created.get(kind, 0) + len(pages)
                self.result.page_ids.setdefault(kind, []).extend(p.pk for p in pages)
        inline = {}
        for (_kind, page), rows in zip(specifics, children, strict=True):
            for model, values in rows:
                values["page_id"] = page.pk
                inline.setdefault(model, []).append(values)
        for model, rows in inline.items():
            fields = [f for f in model._meta.concrete_fields if not f.primary_key]
            defaults = {f.attname: f.get_default() for f in fields}
            insert_rows(model, fields, [[row.get(f.attname, defaults[f.attname]) for f in fields] for row in rows])
        self.result.add_time("specific rows", time.perf_counter() - started)

    def _place(self, page, slot):
        """Give `page` its tree position, slug and URL path as the network's next child."""
        network = slot.page
        base = page.slug
        slug, n = base, 1
        while slug in slot.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        slot.taken_slugs.add(slug)
        slot.last_step += 1
        network.numchild += 1
        page.slug = slug
        page.path = child_page_path(network.path, network.depth + 1, slot.last_step)
        page.depth = network.depth + 1
        page.url_path = f"{network.url_path}{slug}/"
        page.network_id = network.pk
        page.draft_title = page.title
        page.content_type_id = self._content_types()[type(page)].pk
        page.locale = self.locale
        page.live = True
        page.has_unpublished_changes = False
        # No revision exists; the listings' "updated" column reads this date.
        page.last_published_at = page.latest_revision_created_at = page.first_published_at

    def _content_types(self):
        if not hasattr(self, "_ctypes"):
            self._ctypes = ContentType.objects.get_for_models(*KIND_MODELS.values())
        return self._ctypes

    # -- documents --

    def _published_at(self, date):
        moment = datetime.datetime.combine(date, datetime.time(10, 0))
        return min(timezone.make_aware(moment), self.now)

    def _date_in(self, year_ce, month_low=1, month_high=12):
        return datetime.date(year_ce, self.rng.randint(month_low, month_high), self.rng.randint(1, 28))

    def make_charter(self, slot):
        rng, text = self.rng, self.text
        network = slot.page
        slot.charters += 1
        adopted = self._date_in(FIRST_YEAR + min(slot.charters - 1, 5) + rng.randint(0, 1))
        year_label = thai_numerals(adopted.year + BE_OFFSET)
        if slot.charters == 1:
            title, version = f"ข้อบังคับ{network.title}", f"พ.ศ. {year_label}"
        else:
            amendment = thai_numerals(slot.charters - 1)
            title = f"ข้อบังคับ{network.title} (แก้ไขเพิ่มเติมครั้งที่ {amendment})"
            version = f"แก้ไขเพิ่มเติมครั้งที่ {amendment} พ.ศ. {year_label}"
        while True:
            count = rng.randint(8, 10)
            titles = sorted(rng.sample(range(len(CHAPTER_TITLES)), count))
            chapters = [
                (CHAPTER_TITLES[i], [text.clause() for _ in range(rng.randint(3, 6))]) for i in titles
            ]
            preamble = f"โดยที่สมาชิกของ{network.title}เห็นพ้องกันว่าควรมีกติกาเรื่อง{text.topic()} จึงวางข้อบังคับไว้ดังต่อไปนี้"
            page = CharterPage(
                title=title, slug="charter", version_label=version, preamble=preamble,
                chapters=demo_content.charter_stream_data(chapters), first_published_at=self._published_at(adopted),
            )
            page.body_text = page.plain_text()
            if text.is_new(page.body_text):
                break
        if slot.charters == 1 and not slot.registered and rng.random() < REGISTERED_SHARE:
            slot.registered = True
            registered_on = min(adopted + datetime.timedelta(days=rng.randint(30, 120)), timezone.localdate())
            self.to_register.append((page, slot, registered_on))
        return page, []

    def make_minutes(self, slot):
        rng, text = self.rng, self.text
        network = slot.page
        year, number = slot.meeting
        if year == 0:
            year, number = FIRST_YEAR + BE_OFFSET + rng.randint(0, 2), 0
        if number >= MEETINGS_PER_YEAR:
            year, number = year + 1, 0
        number += 1
        slot.meeting = (year, number)
        # Meeting n of a year falls in month n (there are at most ten a year).
        meeting_date = datetime.date(year - BE_OFFSET, number, rng.randint(1, 28))
        body_name = f"{rng.choice(BODY_PREFIXES)}{network.title}"
        while True:
            agenda = [{"title": OPENING_ITEM, "summary": text.frame(SUMMARY_FRAMES), "resolution": "รับทราบ"}]
            for _ in range(rng.randint(3, 4)):
                present_votes = rng.randint(8, 18)
                against = rng.randint(0, 2)
                agenda.append({
                    "title": text.frame(AGENDA_FRAMES), "summary": text.frame(SUMMARY_FRAMES),
                    "resolution": text.frame(RESOLUTION_FRAMES),
                    "votes_for": present_votes - against, "votes_against": against,
                    "votes_abstain": rng.randint(0, 1),
                })
            agenda.append({"title": CLOSING_ITEM, "summary": text.frame(SUMMARY_FRAMES), "resolution": "รับทราบ"})
            if text.is_new("\n".join(item["summary"] for item in agenda)):
                break
        positions = COMMITTEE_POSITIONS
        present = [
            {"name": text.person(), "position": positions[i] if i < 4 else rng.choice(positions[4:])}
            for i in range(rng.randint(10, 20))
        ]
        absent = [
            {"name": text.person(), "position": "กรรมการ", "reason": rng.choice(ABSENCE_REASONS)}
            for _ in range(rng.randint(0, 3))
        ]
        others = [{"name": text.person(), "position": rng.choice(GUEST_POSITIONS)} for _ in range(rng.randint(0, 2))]
        page = MeetingMinutesPage(
            title=f"รายงานการประชุม{body_name} ครั้งที่ {number}/{year}",
            slug=f"minutes-{number}-{year}", body_name=body_name, meeting_number=number, buddhist_year=year,
            meeting_date=meeting_date, start_time=datetime.time(9, 30), end_time=datetime.time(rng.randint(12, 16), 0),
            place=f"{rng.choice(PLACES)} {text.topic(1, 1)}", committee_size=len(present) + len(absent),
            recorder_name=present[2]["name"], recorder_position="เลขานุการ",
            reviewer_name=present[0]["name"], reviewer_position="ประธาน",
            first_published_at=self._published_at(meeting_date + datetime.timedelta(days=rng.randint(7, 30))),
        )
        return page, inline_rows(
            (AgendaItem, agenda), (PresentMember, present), (AbsentMember, absent), (OtherAttendee, others)
        )

    def make_plan(self, slot):
        rng, text = self.rng, self.text
        network = slot.page
        if slot.last_plan_year:
            fiscal_year = slot.last_plan_year + 1
        else:
            # One plan a year, the last ones by LAST_PLAN_YEAR (a busy provincial network has a dozen).
            fiscal_year = min(FIRST_YEAR + BE_OFFSET + rng.randint(0, 2), LAST_PLAN_YEAR + 1 - slot.plans_to_come)
        slot.last_plan_year = fiscal_year
        # A Thai fiscal year runs from 1 October of the year before to 30 September.
        year_start = datetime.date(fiscal_year - BE_OFFSET - 1, 10, 1)
        while True:
            goals = " ".join(text.frame(GOAL_FRAMES) for _ in range(rng.randint(2, 3)))
            if text.is_new(goals):
                break
        activities = []
        for _ in range(rng.randint(4, 10)):
            start = year_start + datetime.timedelta(days=rng.randint(0, 300))
            status = rng.choice(ActivityStatus.values)
            progress = {ActivityStatus.DONE: 100, ActivityStatus.IN_PROGRESS: rng.randint(10, 90)}.get(status, 0)
            activities.append({
                "title": text.frame(ACTIVITY_FRAMES), "area": rng.choice(PlanArea.values), "start_date": start,
                "end_date": start + datetime.timedelta(days=rng.randint(1, 60)),
                "budget": Decimal(rng.randint(0, 100) * 500), "budget_source": rng.choice(BudgetSource.values),
                "responsible_person": text.person(), "status": status, "progress": progress,
            })
        page = ActionPlanPage(
            title=f"แผนปฏิบัติการ{network.title} ปี {fiscal_year}", slug=f"action-plan-{fiscal_year}",
            fiscal_year=fiscal_year, goals=goals, first_published_at=self._published_at(year_start),
        )
        return page, inline_rows((ActionPlanActivity, activities))

    # -- registry, index, statistics --

    def register(self):
        """Registry entries for the charters picked to be registered, numbered as
        `registry.services.register` numbers them: one counter per Buddhist year, across the country,
        in order of registration date, continued from RegistrationNumberSequence under its row lock."""
        if not self.to_register:
            return
        by_year = {}
        for page, slot, registered_on in sorted(self.to_register, key=lambda item: (item[2], item[0].pk)):
            by_year.setdefault(registered_on.year + BE_OFFSET, []).append((page, slot, registered_on))
        entries = []
        with transaction.atomic():
            for year, items in sorted(by_year.items()):
                RegistrationNumberSequence.objects.bulk_create(
                    [RegistrationNumberSequence(year=year)], ignore_conflicts=True
                )
                sequence = RegistrationNumberSequence.objects.select_for_update().get(year=year)
                for page, slot, registered_on in items:
                    sequence.last_number += 1
                    network = slot.page
                    entries.append(RegistryEntry(
                        network_id=network.pk,
                        registration_number=registration_number(slot.province_code, year, sequence.last_number),
                        number_year=year, number_serial=sequence.last_number, registered_on=registered_on,
                        organization_name=network.title, charter_id=page.pk, version_label=page.version_label,
                        registered_text=page.body_text, text_sha256=sha256_of(page.body_text),
                    ))
                sequence.save(update_fields=["last_number"])
            bulk_create_with_history(entries, RegistryEntry, batch_size=1000)
        self.result.registered = len(entries)

    def build_index(self):
        """Index the new documents once, in chunks, with what each model's search fields need
        prefetched (the same queryset `manage.py update_index` uses)."""
        backend = get_search_backend()
        bar = self._bar(self.result.total_created, "indexed")
        for kind, model in KIND_MODELS.items():
            ids = self.result.page_ids.get(kind, [])
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                backend.add_bulk(model, list(model.get_indexed_objects().filter(pk__in=chunk)))
                bar.update(len(chunk))
        bar.close()

    def analyze(self):
        # This PostgreSQL runs without autovacuum: without fresh statistics the planner guesses.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _timed(self, phase, function):
        started = time.perf_counter()
        function()
        self.result.add_time(phase, time.perf_counter() - started)

    def _bar(self, total, unit):
        return tqdm(total=total, unit=f" {unit}", disable=not self.progress, smoothing=0.1)


def inline_rows(*groups):
    """[(model, {field: value}), ...] from (model, [values, ...]) groups, numbered in order."""
    rows = []
    for model, values in groups:
        for sort_order, row in enumerate(values):
            row["sort_order"] = sort_order
            rows.append((model, row))
    return rows


def prepared_values(instance, fields):
    return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]


def next_page_ids(count):
    """`count` new page ids from the page table's sequence (PostgreSQL), for rows written by COPY."""
    table = Page._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(model, fields, rows, returning=None):
    """Write `rows` (lists of values ready for the database, in the order of `fields`) into the
    model's own table: COPY on PostgreSQL (a parameterised INSERT of thousands of rows costs psycopg
    more to parse than the server to store), else INSERTs of as many rows as the database takes; with
    `returning` (fields; not with COPY), return those columns of the inserted rows."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql" and not returning:
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return []
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = min(1000, (connection.features.max_query_params or 65535) // len(fields))
    suffix = f" RETURNING {', '.join(quote(f.column) for f in returning)}" if returning else ""
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            values = ", ".join([one_row] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}{suffix}", [v for row in chunk for v in row])
            if returning:
                returned.extend(cursor.fetchall())
    return returned
