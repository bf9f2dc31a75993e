"""Segmentation and compound splitting, without a database."""

import pytest

from thaisearch.analysis import index_text, query_phrases, split_compound, terms
from thaisearch.highlight import highlight, snippet


@pytest.mark.parametrize(
    "text, expected",
    [
        # The dictionary keeps these compounds whole; their parts must be terms of their own.
        ("มีระเบียบ", "มี ระเบียบ"),
        ("บัญชีรายชื่อ", "บัญชี รายชื่อ"),
        ("เงินสมทบ", "เงิน สมทบ"),
        ("ยกร่างระเบียบข้อบังคับ", "ยก ร่าง ระเบียบ ข้อ บังคับ"),
        ("กองทุนสวัสดิการชุมชน", "กองทุน สวัสดิ การ ชุมชน"),
        ("ที่ประชุมมีมติเห็นชอบ", "ที่ ประชุม มี มติ เห็นชอบ"),
        # Two-syllable words stay whole: "ชุม" must not match every meeting.
        ("ประชุม", "ประชุม"),
        ("กองทุน", "กองทุน"),
        ("สมทบ", "สมทบ"),
        ("เชียงราย", "เชียงราย"),
        # English is lower-cased, punctuation dropped, Thai digits read as Arabic ones.
        ("Chiang Rai Welfare Network, ครั้งที่ ๑/๒๕๖๒", "chiang rai welfare network ครั้ง ที่ 1 2562"),
        ("", ""),
        ("!!! ...", ""),
    ],
)
def test_index_text(text, expected):
    assert index_text(text) == expected


def test_segmentation_only_keeps_compounds():
    assert index_text("มีระเบียบ", split_compounds=False) == "มีระเบียบ"
    assert index_text("แผนปฏิบัติการ", split_compounds=False) == "แผน ปฏิบัติการ"


def test_parts_cover_the_compound_in_order():
    for word in ["บัญชีรายชื่อ", "ผู้ทรงคุณวุฒิ", "สำนักงานพัฒนาสังคม", "คณะกรรมการ"]:
        spans = split_compound(word)
        assert spans[0][0] == 0 and spans[-1][1] == len(word)
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_term_offsets_point_into_the_original_text():
    text = "ผู้มีระเบียบวินัย Chiang Rai"
    for term in terms(text):
        assert text[term.start : term.end].lower() == term.text


def test_query_phrases():
    assert query_phrases("แผนปฏิบัติการ") == [["แผน", "ปฏิบัติ", "การ"]]
    assert query_phrases('กองทุน  "Chiang Rai" ตำบล') == [["กองทุน"], ["chiang", "rai"], ["ตำบล"]]
    assert query_phrases("Chiang Rai") == [["chiang"], ["rai"]]
    assert query_phrases('  "" ?? ') == []


def test_highlight_marks_a_word_inside_a_compound():
    assert highlight("ผู้มีระเบียบวินัย", "ระเบียบ") == "ผู้มี<mark>ระเบียบ</mark>วินัย"
    assert highlight("จัดทำบัญชีรายชื่อสมาชิก", "บัญชี") == "จัดทำ<mark>บัญชี</mark>รายชื่อสมาชิก"


def test_highlight_marks_a_phrase_as_one_span_and_skips_scattered_words():
    assert highlight("แผนปฏิบัติการประจำปี", "แผนปฏิบัติการ") == "<mark>แผนปฏิบัติการ</mark>ประจำปี"
    scattered = "ทบทวนแผนเดิม และมอบให้ฝ่ายปฏิบัติงานสรุปการใช้จ่าย"
    assert "<mark>" not in highlight(scattered, "แผนปฏิบัติการ")


def test_highlight_escapes_html_and_ignores_case():
    assert highlight("<b>กองทุน</b> & Chiang Rai", "กองทุน rai") == (
        "&lt;b&gt;<mark>กองทุน</mark>&lt;/b&gt; &amp; Chiang <mark>Rai</mark>"
    )
    assert highlight("<script>", "script") == "&lt;<mark>script</mark>&gt;"


def test_snippet_is_cut_around_the_first_match():
    text = ("ข้อความนำที่ไม่เกี่ยวข้อง " * 30) + "สมาชิกต้องชำระเงินสมทบทุกเดือน " + ("ข้อความท้าย " * 30)
    result = snippet(text, "สมทบ", length=120)
    assert "เงิน<mark>สมทบ</mark>" in result
    assert result.startswith("… ") and result.endswith(" …")
    assert len(result) < 200
    assert snippet("สั้น ๆ", "ไม่พบ") == "สั้น ๆ"
