"""The XSS corpus: payloads in every field a committee fills in, published as the public sees them (live
revisions, a registration and an amendment through the registry's own services). Shared by
tests/hardening/test_xss.py (the HTML, the PDFs' HTML, the e-mails) and tests/browser/test_xss.py
(Chromium runs the pages and fails on any dialog or on `window.__xss`)."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from pages.models import MinutesAttachment
from registry import services
from tests.factories import add_charter, add_minutes, add_plan, make_registrar, small_tree

# Each sets window.__xss (and would open a dialog) if the browser ran it.
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '"><img src=x onerror="window.__xss=2;alert(2)">',
    "'><svg onload=\"window.__xss=3;alert(3)\"></svg>",
    "<a href=\"javascript:window.__xss=4;alert(4)\">ลิงก์</a>",
    "javascript:window.__xss=5;alert(5)",
    '<p style="x" onmouseover="window.__xss=6" data-x="1"><b onclick=alert(6)>ตัวหนา</b></p>',
    "<iframe srcdoc=\"<script>parent.__xss=7</script>\"></iframe>",
    "{{ 7|add:7 }}{% now 'Y' %}</textarea></title><script>window.__xss=8</script>",
    "<details open ontoggle=\"window.__xss=9\">",
]
# Raw fragments that must never appear in HTML the site serves (they appear only escaped).
DANGEROUS = ["<script>window.__xss", "<img src=x", "<svg onload", 'href="javascript:', "<iframe srcdoc",
             "<b onclick", "<details open", "onerror=\"window", "<p style=\"x\" onmouseover"]
FILE_NAME = '"><img src=x onerror=alert(10)>.pdf'


def mixed(text, i):
    """A field's text: Thai words around payload number i (so that search finds the page by the word)."""
    return f"คำค้นพิเศษ {PAYLOADS[i % len(PAYLOADS)]} ท้ายข้อความ"


def build_xss_world(home):
    tree = small_tree(home)
    network = tree["wiang"]
    # The network's own page, whose title becomes the registered organization's name.
    network.title = mixed("network", 1)
    network.office_address = mixed("office", 0)
    network.save_revision().publish()
    registrar = make_registrar("xss_registrar", email="registrar@example.org")

    chapters = [(mixed("chapter", i), [mixed("clause", i + 1), mixed("clause", i + 2)]) for i in range(len(PAYLOADS))]
    charter = add_charter(network, mixed("title", 3), chapters=chapters, version_label=mixed("version", 1),
                          preamble=mixed("preamble", 2), publish=True)
    entry = services.register(charter, registrar, on_date=datetime.date(2024, 6, 1))
    charter.chapters = [("chapter", {"title": mixed("amended", 5), "clauses": [mixed("amended", 7)]})] + [
        ("chapter", {"title": title, "clauses": clauses}) for title, clauses in chapters
    ]
    charter.version_label = mixed("amendment", 4)
    charter.save_revision().publish()
    charter.refresh_from_db()
    entry = services.register(charter, registrar, on_date=datetime.date(2025, 3, 1))

    minutes = add_minutes(
        network, 1, title=mixed("minutes", 0), date=datetime.date(2025, 5, 14), body_name=mixed("body", 1),
        place=mixed("place", 2), recorder_name=mixed("recorder", 3), recorder_position=mixed("position", 4),
        reviewer_name=mixed("reviewer", 5), reviewer_position=mixed("position", 6),
        present=[{"name": mixed("name", i), "position": mixed("position", i + 1), "substitute_for": mixed("sub", i + 2)}
                 for i in range(3)],
        absent=[{"name": mixed("absent", 4), "position": mixed("p", 5), "reason": mixed("reason", 6)}],
        agenda=[{"title": mixed("agenda", i), "summary": mixed("summary", i + 1), "resolution": mixed("resolution", i + 2)}
                for i in range(len(PAYLOADS))],
        publish=False,
    )
    document = Document.objects.create(title=FILE_NAME, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=FILE_NAME))
    MinutesAttachment.objects.create(page=minutes, document=document, caption=mixed("caption", 7), sort_order=0)
    # Without a caption the page shows the document's title: the uploaded file's name.
    MinutesAttachment.objects.create(page=minutes, document=document, caption="", sort_order=1)
    minutes.save_revision().publish()
    minutes.refresh_from_db()

    plan = add_plan(network, 2568, title=mixed("plan", 8), goals=mixed("goals", 0), publish=True, activities=[
        {"title": mixed("activity", i), "area": "data", "start_date": datetime.date(2025, 5, 20),
         "end_date": datetime.date(2025, 6, 15), "budget": 1000, "budget_source": "codi",
         "responsible_person": mixed("person", i + 1), "status": "planned", "progress": 0}
        for i in range(len(PAYLOADS))
    ])
    return {**tree, "network": network, "charter": charter, "entry": entry, "minutes": minutes, "plan": plan,
            "registrar": registrar, "document": document}


def public_urls(world):
    """The public pages that show what the committee wrote, by name."""
    entry = world["entry"]
    return {
        "network": world["network"].url,
        "charter": world["charter"].url,
        "charter print": world["charter"].url + "?print=1",
        "minutes": world["minutes"].url,
        "plan": world["plan"].url,
        "registry": "/registry/",
        "verify": f"/verify/{entry.registration_number}/",
        "diff": f"/registry/{entry.pk}/versions/",
        "search": "/search/?q=คำค้นพิเศษ",
        "search (English)": "/en/search/?q=คำค้นพิเศษ",
        "charter (English)": "/en" + world["charter"].url,
    }


def dangerous_fragments(html):
    """The raw payload fragments found in `html` (case-insensitive)."""
    lowered = html.lower()
    return [fragment for fragment in DANGEROUS if fragment.lower() in lowered]
