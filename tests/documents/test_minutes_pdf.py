"""The minutes say in words whether the quorum was met, on the public page and in the PDF alike, and
the PDF's title never breaks inside an area name («ตำบล / บ้านดู่»)."""

import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from documents.generation import render_source
from documents.minutes import keep_names_together, minutes_quorum
from documents.models import DocumentKind
from documents.rendering import html_to_pdf
from tests.factories import add_minutes, make_committee_member

# Names whose title wraps where Thai line breaking used to split the name: «…ตำบล / ห้วยชมภู» and
# «…อำเภอเมือง / เชียงราย» (measured with the bundled Sarabun, 15 pt bold title).
NAMES_ONCE_BROKEN = {
    "คณะกรรมการบริหารกองทุนสวัสดิการชุมชนตำบลห้วยชมภู": "ตำบลห้วยชมภู",
    "คณะกรรมการเครือข่ายสวัสดิการชุมชนอำเภอเมืองเชียงราย": "อำเภอเมืองเชียงราย",
}
BODY_NAME = next(iter(NAMES_ONCE_BROKEN))


def minutes_with(network, present, size, number=1, body_name=BODY_NAME):
    return add_minutes(
        network, number, date=datetime.date(2026, 3, 1), committee_size=size, body_name=body_name, publish=True,
        present=[{"name": f"กรรมการคนที่ {i + 1}", "position": "กรรมการ"} for i in range(present)]
        + [{"name": "ผู้สังเกตการณ์", "position": "ผู้แทน อบต.", "is_committee_member": False}],
    )


def pdf_lines(page):
    html, _sha = render_source(DocumentKind.MINUTES, page)
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    # The PDF splits sara am in two (nikhahit + sara aa) so that a copy keeps every letter; join it again.
    return [normalize_sara_am(line) for line in text.splitlines()]


def normalize_sara_am(line):
    return line.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e4d\u0e49\u0e32", "\u0e49\u0e33")


@pytest.mark.django_db
def test_quorum_in_words_on_the_page_and_in_the_pdf(network, client):
    met = minutes_with(network, 32, 45)
    not_met = minutes_with(network, 20, 45, number=2)

    assert minutes_quorum(met).thai() == "ครบองค์ประชุม (มาประชุม ๓๒ จาก ๔๕ คน)"
    assert minutes_quorum(not_met).thai() == "ไม่ครบองค์ประชุม (มาประชุม ๒๐ จาก ๔๕ คน)"
    for page, words in ((met, "ครบองค์ประชุม (มาประชุม ๓๒ จาก ๔๕ คน)"),
                        (not_met, "ไม่ครบองค์ประชุม (มาประชุม ๒๐ จาก ๔๕ คน)")):
        assert words in pdf_lines(page)
        assert f'<p class="minutes__quorum">{words}</p>' in client.get(page.url).content.decode()

    with translation.override("en"):
        html = client.get(met.url).content.decode()
    assert "The quorum was met: 32 of 45 committee members were present." in html


@pytest.mark.django_db
def test_quorum_from_the_committee_list_and_the_networks_rule(network):
    """Without the number in the minutes, the committee members in office that day count (as the
    workflow counts them); a network's own rule (percent) applies."""
    for i in range(4):
        make_committee_member(network, f"member{i}", started_on=datetime.date(2025, 1, 1))
    page = add_minutes(network, 3, date=datetime.date(2026, 3, 1), publish=True,
                       present=[{"name": "ก"}, {"name": "ข"}])
    assert minutes_quorum(page).thai() == "ไม่ครบองค์ประชุม (มาประชุม ๒ จาก ๔ คน)"
    network.quorum_percent = 50
    network.save()
    page.refresh_from_db()
    assert minutes_quorum(page).met
    unknown = add_minutes(network.get_parent().specific, 1, date=datetime.date(2026, 3, 1), present=[{"name": "ก"}])
    assert "ไม่อาจตรวจองค์ประชุม" in minutes_quorum(unknown).thai()


@pytest.mark.django_db
@pytest.mark.parametrize("body_name", NAMES_ONCE_BROKEN)
def test_title_never_breaks_inside_a_name(network, body_name):
    lines = pdf_lines(minutes_with(network, 3, 5, body_name=body_name))
    title = lines[:2]
    # The title wraps (it is longer than the line) …
    assert "".join(title).replace(" ", "") == "รายงานการประชุม" + body_name
    # … but the area name stays whole on one line.
    assert title[1].endswith(NAMES_ONCE_BROKEN[body_name]), title


def test_names_are_kept_together_and_escaped():
    assert str(keep_names_together("เครือข่ายตำบลบ้านดู่อำเภอเมือง <b>")) == (
        'เครือข่าย<span class="name">ตำบลบ้านดู่</span><span class="name">อำเภอเมือง</span> &lt;b&gt;'
    )

