"""No 500 on any input, and no partial write: a table of bad inputs (public pages, the JSON API, the
admin forms of each role that fills one in), each judged by the answer's status and by the database
afterwards (every table's row count, and the object the form edits, unchanged).

    .venv/bin/pytest tests/hardening -k bad_inputs            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_inputs .venv/bin/pytest tests/hardening -k bad_inputs

The summary (inputs tried, 500s, partial writes) is printed at the end of the run.
"""

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from registry.models import RegistryEntry
from tests.people.formdata import page_edit_form
from tests.workflows.conftest import charter_form_data

from .conftest import page_state, table_counts

# No case reads `response.context`: the client need not keep it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_templates_not_kept")]

NUL = "\x00"
LONG = "ก" * 600  # beyond every CharField of the documents (255 or 500)
HUGE = "99999999999999999999"  # beyond a 64-bit integer
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


@dataclass
class Case:
    name: str
    send: Callable  # (client, world) -> response
    expect: tuple = (400,)
    who: str | None = None  # key of the user in the world, None for the public
    target: str | None = None  # key of the object the request would change
    tags: list = field(default_factory=list)


CASES = []


def case(name, send, expect=(400,), who=None, target=None):
    CASES.append(Case(name, send, tuple(expect), who, target))


# --- Requests --------------------------------------------------------------------------------------


def get(url):
    return lambda client, world: client.get(url(world) if callable(url) else url)


def post(url, data):
    return lambda client, world: client.post(url(world) if callable(url) else url, data(world) if callable(data) else data)


def post_raw(url, body, content_type="application/x-www-form-urlencoded"):
    return lambda client, world: client.generic("POST", url(world) if callable(url) else url, body, content_type)


def edit_url(key):
    return lambda world: reverse("wagtailadmin_pages:edit", args=[world[key].pk])


# The edit forms scraped so far, by (page, signed-in user): each test's writes roll back to the module's
# world, so a page's form reads the same for the same user in every test, and opening the editor (a
# quarter of a second) once per pair is enough; the bad input is in what is posted.
SCRAPED_FORMS = {}


def page_form_data(client, page):
    key = (page.pk, client.session.get("_auth_user_id"))
    if key not in SCRAPED_FORMS:
        if page.specific_class.__name__ == "CharterPage":
            SCRAPED_FORMS[key] = charter_form_data(client, page)
        else:
            SCRAPED_FORMS[key] = page_edit_form(client, page)
    return copy.deepcopy(SCRAPED_FORMS[key])


def edit(key, **changes):
    """The edit form of world[key] as the browser posts it, with `changes`; saved as a draft."""

    def send(client, world):
        data = page_form_data(client, world[key])
        data.update(changes)
        return client.post(reverse("wagtailadmin_pages:edit", args=[world[key].pk]), data)

    return send


def edit_urlencoded(key, raw_changes):
    """The same, posted url-encoded with raw bytes appended (bytes that may not be UTF-8)."""

    def send(client, world):
        from urllib.parse import urlencode

        data = page_form_data(client, world[key])
        body = urlencode(data, doseq=True).encode() + b"&" + raw_changes
        return client.generic(
            "POST", reverse("wagtailadmin_pages:edit", args=[world[key].pk]), body,
            "application/x-www-form-urlencoded",
        )

    return send


def add_row(key, prefix, row):
    """The edit form with one more row in the inline formset `prefix`."""

    def send(client, world):
        data = page_form_data(client, world[key])
        index = int(data[f"{prefix}-TOTAL_FORMS"])
        data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        data.update({f"{prefix}-{index}-{name}": value for name, value in {"id": "", "ORDER": str(index + 1),
                                                                           "DELETE": "", **row}.items()})
        return client.post(reverse("wagtailadmin_pages:edit", args=[world[key].pk]), data)

    return send


def add_page(model_name, fields_from):
    """The add form of a document under the chair's network, filled from an existing page of the kind."""

    def send(client, world):
        data = page_form_data(client, world[fields_from[0]])
        data.update(fields_from[1])
        # A new page: child rows are new rows too.
        for name in list(data):
            if name.endswith("-id") and name.split("-")[0] in ("activities", "present_members", "absent_members",
                                                               "agenda_items", "attachments", "other_attendees"):
                data[name] = ""
            if name.endswith("-INITIAL_FORMS"):
                data[name] = "0"
        return client.post(reverse("wagtailadmin_pages:add", args=["pages", model_name, world["network"].pk]), data)

    return send


def upload(name, content, multiple=False):
    def send(client, world):
        root = Collection.get_first_root_node()
        file = SimpleUploadedFile(name, content, content_type="application/pdf")
        if multiple:
            return client.post(reverse("wagtaildocs:add_multiple"), {"files[]": file, "collection": root.pk},
                               headers={"x-requested-with": "XMLHttpRequest"})
        return client.post(reverse("wagtaildocs:add"), {"title": name, "file": file, "collection": root.pk})

    return send


def entry_url(name):
    return lambda world: reverse(name, args=[world["entry"].pk])


def membership_form(**changes):
    def data(world):
        values = {"user": str(world["chair"].pk), "network": str(world["wiang"].pk), "role": "member",
                  "started_on": "01/06/2569", "ended_on": ""}
        values.update(changes)
        return values

    return data


# --- The public site and the API ---------------------------------------------------------------------

for name, url, expect in [
    ("api offset beyond bigint", f"/api/v1/networks/?offset={HUGE}", (400,)),
    ("api offset negative", "/api/v1/networks/?offset=-1", (400,)),
    ("api offset not a number", "/api/v1/networks/?offset=abc", (400,)),
    ("api offset with underscores", "/api/v1/networks/?offset=1_000", (400,)),
    ("api offset Thai digits", "/api/v1/networks/?offset=๑๐", (400,)),
    ("api offset thousands of digits", "/api/v1/networks/?offset=" + "9" * 5000, (400,)),
    ("api limit zero", "/api/v1/networks/?limit=0", (400,)),
    ("api limit huge", f"/api/v1/networks/?limit={HUGE}", (400,)),
    ("api limit float", "/api/v1/networks/?limit=1.5", (400,)),
    ("api parent huge", f"/api/v1/networks/?parent={HUGE}", (400,)),
    ("api parent negative", "/api/v1/networks/?parent=-3", (400,)),
    ("api parent unknown", "/api/v1/networks/?parent=2147483647", (404,)),
    ("api level NUL", "/api/v1/networks/?level=%00", (400,)),
    ("api level unknown", "/api/v1/networks/?level=galaxy", (400,)),
    ("api province NUL", "/api/v1/networks/?province=5%007", (400,)),
    ("api province over-long", "/api/v1/networks/?province=" + "5" * 5000, (200,)),
    ("api province invalid UTF-8", "/api/v1/networks/?province=%C3%28", (400,)),
    ("api network id beyond bigint", f"/api/v1/networks/{HUGE}/", (404,)),
    ("api network id 2**31", "/api/v1/networks/2147483648/", (404,)),
    ("api charters network not a number", "/api/v1/charters/?network=x", (400,)),
    ("api charters network huge", f"/api/v1/charters/?network={HUGE}", (400,)),
    ("api charters province NUL", "/api/v1/charters/?province=%00", (400,)),
    ("api charter id beyond bigint", f"/api/v1/charters/{HUGE}/", (404,)),
    ("api registry NUL number", "/api/v1/registry/%00/", (400,)),
    ("api registry over-long number", "/api/v1/registry/" + "1" * 5000 + "/", (404,)),
    ("api registry invalid UTF-8 number", "/api/v1/registry/%FF%FE/", (404,)),
    ("api registry year C.E.", "/api/v1/registry/?year=2019", (400,)),
    ("api registry year huge", f"/api/v1/registry/?year={HUGE}", (400,)),
    ("api registry status unknown", "/api/v1/registry/?status=%3Cscript%3E", (400,)),
    ("api registry sort unknown", "/api/v1/registry/?sort=password", (400,)),
    ("api registry offset huge", f"/api/v1/registry/?offset={HUGE}", (400,)),
    ("verify NUL number", "/verify/%00/", (400,)),
    ("verify over-long number", "/verify/" + "9" * 5000 + "/", (404,)),
    ("verify form NUL", "/verify/?number=%00", (400,)),
    ("verify form over-long", "/verify/?number=" + "9" * 300, (200,)),
    ("verify invalid UTF-8 path", "/verify/%C3%28/", (404,)),
    ("registry page huge", f"/registry/?page={HUGE}", (200,)),
    ("registry page negative", "/registry/?page=-1", (200,)),
    ("registry year C.E.", "/registry/?year=2019", (200,)),
    ("registry year huge", f"/registry/?year={HUGE}", (200,)),
    ("registry province NUL", "/registry/?province=%00", (400,)),
    ("registry sort unknown", "/registry/?sort=-password", (200,)),
    ("registry query invalid UTF-8", "/registry/?province=%FF", (400,)),
    ("registry csv year text", "/registry/registry.csv?year=abc", (200,)),
    ("registry json year huge", f"/registry/registry.json?year={HUGE}", (200,)),
    ("diff entry id beyond bigint", f"/registry/{HUGE}/versions/", (404,)),
    ("search NUL", "/search/?q=%00", (400,)),
    ("search over-long", "/search/?q=" + "ก" * 1000, (200,)),
    ("search page huge", f"/search/?q=ข้อบังคับ&page={HUGE}", (200,)),
    ("search page negative", "/search/?q=ข้อบังคับ&page=-9", (200,)),
    ("search kind unknown", "/search/?q=ข้อบังคับ&kind=user", (200,)),
    ("search province unknown", "/search/?q=ข้อบังคับ&province=99", (200,)),
    ("search invalid UTF-8", "/search/?q=%C3%28", (400,)),
    ("search only punctuation", "/search/?q=%22%27%28%29*%3A%5E-", (200,)),
    ("search SQL-looking", "/search/?q=%27%3B+DROP+TABLE+wagtailcore_page%3B--", (200,)),
    ("page path NUL", "/%00/", (400,)),
    ("page path over-long", "/" + "a" * 3000 + "/", (404,)),
    ("page query NUL", "/?print=%00", (400,)),
    ("document id beyond bigint", f"/documents/{HUGE}/x.pdf", (404,)),
    ("networks directory query invalid UTF-8", "/networks/?x=%80", (400,)),
]:
    case(name, get(url), expect)

case("diff versions beyond bigint", get(lambda w: f"/registry/{w['entry'].pk}/versions/?from={HUGE}&to=-1"), (400,))
case("diff versions thousands of digits", get(lambda w: f"/registry/{w['entry'].pk}/versions/?from={'9' * 5000}"), (400,))
case("charter print NUL", get(lambda w: w["registered"].url + "?print=%00"), (400,))
case("verify text NUL", post(lambda w: f"/verify/{w['entry'].registration_number}/", {"text": f"ข้อ{NUL}"}), (400,))
case("verify text invalid UTF-8", post_raw(lambda w: f"/verify/{w['entry'].registration_number}/", b"text=%C3%28"), (400,))
case("verify text as JSON", post_raw(lambda w: f"/verify/{w['entry'].registration_number}/",
                                     json.dumps({"text": "x"}).encode(), "application/json"), (415,))
case("verify text over-long", post(lambda w: f"/verify/{w['entry'].registration_number}/", {"text": "ก" * 500_001}),
     (200,))
case("API given a form", post_raw("/api/v1/networks/", b"offset=1"), (405,))
case("API given JSON", post_raw("/api/v1/registry/", b'{"year": 2562}', "application/json"), (405,))
case("login NUL user name", post("/admin/login/", {"username": f"admin{NUL}", "password": "x"}), (400,))
case("login invalid UTF-8", post_raw("/admin/login/", b"username=%FF%FE&password=x"), (400,))
case("login over-long user name", post("/admin/login/", {"username": "a" * 10_000, "password": "x"}), (200,))
case("language NUL", post("/i18n/setlang/", {"language": NUL, "next": "/"}), (400,))
case("language unknown", post("/i18n/setlang/", {"language": "xx", "next": "/"}), (302,))

# --- Admin: the committee chair's documents ------------------------------------------------------------

CHAIR_PAGE_CASES = [
    # charter
    ("charter title NUL", "charter", edit("charter", title=f"ข้อบังคับ{NUL}"), (400,)),
    ("charter title over-long", "charter", edit("charter", title=LONG), (200,)),
    ("charter title empty", "charter", edit("charter", title="   "), (200,)),
    ("charter version over-long", "charter", edit("charter", version_label=LONG), (200,)),
    ("charter version NUL", "charter", edit("charter", version_label=NUL), (400,)),
    ("charter preamble invalid UTF-8", "charter", edit_urlencoded("charter", b"preamble=%C3%28"), (400,)),
    ("charter clause NUL", "charter", edit("charter", **{"chapters-0-value-clauses-0-value": f"ข้อ{NUL}"}), (400,)),
    ("charter chapter title over-long", "charter", edit("charter", **{"chapters-0-value-title": LONG}), (200,)),
    ("charter chapters count huge", "charter", edit("charter", **{"chapters-count": HUGE}), (200, 400)),
    ("charter chapters count negative", "charter", edit("charter", **{"chapters-count": "-1"}), (200, 400)),
    ("charter chapters count text", "charter", edit("charter", **{"chapters-count": "many"}), (200, 400)),
    ("charter clause count huge", "charter", edit("charter", **{"chapters-0-value-clauses-count": HUGE}), (200, 400)),
    ("charter block type unknown", "charter", edit("charter", **{"chapters-0-type": "script"}), (200, 400)),
    ("charter as JSON", "charter", lambda c, w: c.generic(
        "POST", reverse("wagtailadmin_pages:edit", args=[w["charter"].pk]), json.dumps({"title": "x"}).encode(),
        "application/json"), (415,)),
    ("charter form empty", "charter", post(edit_url("charter"), {}), (200,)),
    # minutes
    ("minutes date 31/02", "minutes", edit("minutes", meeting_date="31/02/2569"), (200,)),
    ("minutes date C.E. year", "minutes", edit("minutes", meeting_date="01/03/2026"), (200,)),
    ("minutes ISO date with B.E. year", "minutes", edit("minutes", meeting_date="2569-03-01"), (200,)),
    ("minutes date month 13", "minutes", edit("minutes", meeting_date="01/13/2569"), (200,)),
    ("minutes date year 10000", "minutes", edit("minutes", meeting_date="01/03/10000"), (200,)),
    ("minutes date text", "minutes", edit("minutes", meeting_date="พรุ่งนี้"), (200,)),
    ("minutes date NUL", "minutes", edit("minutes", meeting_date=f"01/03/2569{NUL}"), (400,)),
    ("minutes number duplicate", "minutes", edit("minutes", meeting_number="2"), (200,)),
    ("minutes number zero", "minutes", edit("minutes", meeting_number="0"), (200,)),
    ("minutes number negative", "minutes", edit("minutes", meeting_number="-1"), (200,)),
    ("minutes number huge", "minutes", edit("minutes", meeting_number=HUGE), (200,)),
    ("minutes number 32768", "minutes", edit("minutes", meeting_number="32768"), (200,)),
    ("minutes number fraction", "minutes", edit("minutes", meeting_number="1.5"), (200,)),
    ("minutes number Thai word", "minutes", edit("minutes", meeting_number="หนึ่ง"), (200,)),
    ("minutes start 25:00", "minutes", edit("minutes", start_time="25:00"), (200,)),
    ("minutes ends before it starts", "minutes", edit("minutes", start_time="15:00", end_time="09:00"), (200,)),
    ("minutes committee size negative", "minutes", edit("minutes", committee_size="-5"), (200,)),
    ("minutes committee size huge", "minutes", edit("minutes", committee_size=HUGE), (200,)),
    ("minutes place over-long", "minutes", edit("minutes", place="ก" * 501), (200,)),
    ("minutes body name NUL", "minutes", edit("minutes", body_name=NUL), (400,)),
    ("minutes recorder over-long", "minutes", edit("minutes", recorder_name=LONG), (200,)),
    ("minutes attendee name over-long", "minutes", edit("minutes", **{"present_members-0-name": LONG}), (200,)),
    ("minutes absence reason over-long", "minutes", edit("minutes", **{"absent_members-0-reason": "ก" * 501}), (200,)),
    ("minutes votes negative", "minutes", edit("minutes", **{"agenda_items-0-votes_for": "-1"}), (200,)),
    ("minutes votes huge", "minutes", edit("minutes", **{"agenda_items-0-votes_against": HUGE}), (200,)),
    ("minutes agenda title over-long", "minutes", edit("minutes", **{"agenda_items-0-title": "ก" * 501}), (200,)),
    ("minutes agenda row id of another page", "minutes",
     edit("minutes", **{"agenda_items-0-id": "2147483647"}), (200, 404)),
    ("minutes agenda row id huge", "minutes", edit("minutes", **{"agenda_items-0-id": HUGE}), (200, 404)),
    ("minutes forms total huge", "minutes", edit("minutes", **{"agenda_items-TOTAL_FORMS": HUGE}), (200, 400)),
    ("minutes forms total negative", "minutes", edit("minutes", **{"agenda_items-TOTAL_FORMS": "-1"}), (200, 400)),
    ("minutes management form missing", "minutes", lambda c, w: c.post(
        reverse("wagtailadmin_pages:edit", args=[w["minutes"].pk]), {"title": "x"}), (200,)),
    ("minutes attachment id huge", "minutes", add_row("minutes", "attachments", {"document": HUGE, "caption": ""}),
     (200,)),
    ("minutes attachment id text", "minutes", add_row("minutes", "attachments", {"document": "x", "caption": ""}),
     (200,)),
    ("minutes attachment missing document", "minutes",
     add_row("minutes", "attachments", {"document": "2147483647", "caption": ""}), (200,)),
    ("minutes attachment caption over-long", "minutes",
     add_row("minutes", "attachments", {"document": "", "caption": LONG}), (200,)),
    ("new minutes duplicate number", None, add_page("meetingminutespage", ("minutes", {"title": "ซ้ำ"})), (200,)),
    ("new minutes 31/02", None,
     add_page("meetingminutespage", ("minutes", {"meeting_number": "9", "meeting_date": "31/02/2569"})), (200,)),
    # action plan
    ("plan fiscal year C.E.", "plan", edit("plan", fiscal_year="2026"), (200,)),
    ("plan fiscal year huge", "plan", edit("plan", fiscal_year=HUGE), (200,)),
    ("plan fiscal year negative", "plan", edit("plan", fiscal_year="-2569"), (200,)),
    ("plan fiscal year Thai digits over", "plan", edit("plan", fiscal_year="๙๙๙๙"), (200,)),
    ("plan goals NUL", "plan", edit("plan", goals=NUL), (400,)),
    ("plan budget negative", "plan", edit("plan", **{"activities-0-budget": "-1"}), (200,)),
    ("plan budget huge", "plan", edit("plan", **{"activities-0-budget": "1" + "0" * 20}), (200,)),
    ("plan budget 10^12 baht", "plan", edit("plan", **{"activities-0-budget": "1000000000000"}), (200,)),
    ("plan budget NaN", "plan", edit("plan", **{"activities-0-budget": "NaN"}), (200,)),
    ("plan budget Infinity", "plan", edit("plan", **{"activities-0-budget": "Infinity"}), (200,)),
    ("plan budget exponent", "plan", edit("plan", **{"activities-0-budget": "1e999999"}), (200,)),
    ("plan budget three decimals", "plan", edit("plan", **{"activities-0-budget": "1.005"}), (200,)),
    ("plan budget text", "plan", edit("plan", **{"activities-0-budget": "หนึ่งพัน"}), (200,)),
    ("plan progress 101", "plan", edit("plan", **{"activities-0-progress": "101"}), (200,)),
    ("plan progress negative", "plan", edit("plan", **{"activities-0-progress": "-1"}), (200,)),
    ("plan activity 31/02", "plan", edit("plan", **{"activities-0-start_date": "31/02/2569"}), (200,)),
    ("plan activity C.E. date", "plan", edit("plan", **{"activities-0-end_date": "15/06/2026"}), (200,)),
    ("plan activity ends before start", "plan",
     edit("plan", **{"activities-0-start_date": "15/06/2569", "activities-0-end_date": "20/05/2569"}), (200,)),
    ("plan activity title over-long", "plan", edit("plan", **{"activities-0-title": "ก" * 501}), (200,)),
    ("plan activity source unknown", "plan", edit("plan", **{"activities-0-budget_source": "lottery"}), (200,)),
    ("plan activity status unknown", "plan", edit("plan", **{"activities-0-status": "<b>"}), (200,)),
    ("plan activity responsible NUL", "plan", edit("plan", **{"activities-0-responsible_person": NUL}), (400,)),
    ("new plan C.E. year", None, add_page("actionplanpage", ("plan", {"fiscal_year": "2026"})), (200,)),
    ("new plan negative budget", None,
     add_page("actionplanpage", ("plan", {"fiscal_year": "2570", "activities-0-budget": "-500"})), (200,)),
    # the network (its quorum rule)
    ("network quorum above 100 %", "network", edit("network", quorum_percent="150"), (200,)),
    ("network quorum zero", "network", edit("network", quorum_percent="0"), (200,)),
    ("network quorum negative", "network", edit("network", quorum_percent="-10"), (200,)),
    ("network quorum huge", "network", edit("network", quorum_percent=HUGE), (200,)),
    # workflow URLs with impossible ids
    ("workflow action task state huge", "charter", get(lambda w: reverse(
        "wagtailadmin_pages:edit", args=[w["charter"].pk]).replace("edit/", f"workflow/action/approve/{HUGE}/")),
     (404,)),
    ("edit page id beyond bigint", None, get(f"/admin/pages/{HUGE}/edit/"), (404,)),
    ("revision id beyond bigint", "charter", get(lambda w: f"/admin/pages/{w['charter'].pk}/revisions/{HUGE}/view/"),
     (404,)),
    ("admin search NUL", None, get("/admin/pages/search/?q=%00"), (400,)),
    ("admin listing page huge", None, get(f"/admin/pages/?p={HUGE}"), (200, 302)),
    ("admin listing ordering unknown", None, get("/admin/pages/search/?q=a&ordering=password"), (200,)),
    # uploads
    ("upload .exe renamed .pdf", None, upload("minutes.pdf", EXE), (200,)),
    ("upload .exe renamed .pdf (multiple)", None, upload("minutes.pdf", EXE, multiple=True), (200,)),
    ("upload .exe", None, upload("setup.exe", EXE), (200,)),
    ("upload HTML renamed .png", None, upload("photo.png", b"<script>alert(1)</script>"), (200,)),
    ("upload 50 MB PDF", None, upload("big.pdf", PDF + b"\x00" * (50 * 1024 * 1024)), (200,)),
    ("upload empty file", None, upload("empty.pdf", b""), (200,)),
    ("upload name NUL", None, upload(f"a{NUL}.pdf", PDF), (200, 400)),
    ("upload name over-long", None, upload("ก" * 300 + ".pdf", EXE), (200,)),
]
for name, target, send, expect in CHAIR_PAGE_CASES:
    CASES.append(Case(name, send, expect, "chair", target))

# --- Admin: the provincial officer and the registrar -----------------------------------------------------

MEMBERSHIPS = "committee_memberships:add"
for name, changes, expect in [
    ("membership network huge", {"network": HUGE}, (200,)),
    ("membership network text", {"network": "เชียงราย"}, (200,)),
    ("membership user huge", {"user": HUGE}, (200,)),
    ("membership role unknown", {"role": "king"}, (200,)),
    ("membership start 31/02", {"started_on": "31/02/2569"}, (200,)),
    ("membership start C.E.", {"started_on": "01/06/2026"}, (200,)),
    ("membership end before start", {"ended_on": "01/01/2560"}, (200,)),
    ("membership role NUL", {"role": NUL}, (400,)),
]:
    case(name, post(lambda w: reverse(MEMBERSHIPS), membership_form(**changes)), expect, who="officer")

for name, data, expect in [
    ("revoke reason NUL", {"reason": f"ทุจริต{NUL}"}, (400,)),
    ("revoke reason blank", {"reason": "   "}, (200,)),
    ("revoke date 31/02", {"reason": "ทุจริต", "revoked_on": "31/02/2568"}, (200,)),
    ("revoke date C.E.", {"reason": "ทุจริต", "revoked_on": "01/02/2025"}, (200,)),
    ("revoke date in the future", {"reason": "ทุจริต", "revoked_on": "01/01/2690"}, (200,)),
    ("revoke date before registration", {"reason": "ทุจริต", "revoked_on": "01/01/2560"}, (200,)),
]:
    CASES.append(Case(name, post(entry_url("registryentry:revoke"), data), expect, "registrar", "entry"))
case("revoke entry id beyond bigint", post(f"/admin/registry/registryentry/revoke/{HUGE}/", {"reason": "x"}),
     (404,), who="registrar")
case("announcement date 31/02", post(lambda w: reverse("registrationannouncement:issue"), {"issued_on": "31/02/2569"}),
     (200,), who="registrar")
case("announcement date text", post(lambda w: reverse("registrationannouncement:issue"), {"issued_on": "today"}),
     (200,), who="registrar")
case("announcement as JSON", post_raw(lambda w: reverse("registrationannouncement:issue"), b'{"issued_on": 1}',
                                      "application/json"), (415,), who="registrar")


# --- The run -------------------------------------------------------------------------------------------

FIGURES = {"tried": 0, "500s": [], "partial_writes": [], "unexpected": []}


def object_state(world, key):
    obj = world[key]
    if isinstance(obj, RegistryEntry):
        entry = RegistryEntry.objects.get(pk=obj.pk)
        return entry.status, entry.revoked_on, entry.revocation_reason, entry.history.count()
    return page_state(obj)


# The database as every case finds it: {None: every table's row count, target: the target's state}. Each
# case's writes roll back to the module's world, so these read the same at the start of every case; read
# once, they are compared with what each case leaves (a leak from one case to the next would show as a
# difference too, never hide one).
BEFORE_EACH_CASE = {}


def before_each_case(world, target=None):
    if target not in BEFORE_EACH_CASE:
        BEFORE_EACH_CASE[target] = object_state(world, target) if target else table_counts()
    return BEFORE_EACH_CASE[target]


@pytest.fixture(scope="module", autouse=True)
def _summary():
    SCRAPED_FORMS.clear()  # the pages of this module's world only
    BEFORE_EACH_CASE.clear()
    yield
    SCRAPED_FORMS.clear()
    BEFORE_EACH_CASE.clear()
    print(
        f"\nbad inputs: {FIGURES['tried']} tried, {len(FIGURES['500s'])} answered 500, "
        f"{len(FIGURES['partial_writes'])} partial writes, {len(FIGURES['unexpected'])} unexpected statuses"
    )
    for kind in ("500s", "partial_writes", "unexpected"):
        for line in FIGURES[kind]:
            print(f"  {kind}: {line}")


def test_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", CASES, ids=[c.name for c in CASES])
def test_bad_inputs(bad, world, browser_client):
    client = browser_client
    if bad.who:
        # Signed in when the world was built (signed_in_sessions); what the visit itself writes to the
        # session and the like (VISIT_TABLES) is not counted at all, so no page needs opening first.
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][bad.who]
    counts = before_each_case(world)
    state = before_each_case(world, bad.target) if bad.target else None

    response = bad.send(client, world)

    FIGURES["tried"] += 1
    if response.status_code >= 500:
        FIGURES["500s"].append(bad.name)
    after = table_counts()
    changed = {label: (n, after[label]) for label, n in counts.items() if after[label] != n}
    target_after = object_state(world, bad.target) if bad.target else None
    if changed or target_after != state:
        FIGURES["partial_writes"].append(f"{bad.name}: {changed or bad.target}")
    if response.status_code not in bad.expect:
        FIGURES["unexpected"].append(f"{bad.name}: {response.status_code}")
    assert response.status_code < 500, f"{bad.name}: {response.status_code}"
    assert response.status_code in bad.expect, f"{bad.name}: {response.status_code}"
    assert not changed, changed
    if bad.target:
        assert target_after == state
