"""A registered charter (clauses, versions, diff, print, revoked banner), certificate verification,
published minutes and approved action plans."""

import hashlib
import re

import pytest

from public.diff import word_diff, words
from public.registry import registered_versions
from registry.models import RegistryEntry


@pytest.mark.django_db
class TestCharter:
    def test_clauses_with_anchors_registration_and_versions(self, client, world):
        charter, entry = world["charter"], world["entry"]
        html = client.get(charter.url).content.decode()
        assert 'id="clause-1"' in html and 'href="#clause-2"' in html
        assert 'id="chapter-2"' in html
        assert entry.registration_number in html
        assert charter.version_label in html
        # Both registered versions are listed with their fingerprints, and can be compared.
        assert entry.registered_text and entry.text_sha256 in html
        original = entry.history.order_by("history_date").first()
        assert original.text_sha256 in html and original.text_sha256 != entry.text_sha256
        assert f"/registry/{entry.pk}/versions/" in html
        assert "banner--revoked" not in html
        assert "?print=1" in html

    def test_print_view(self, client, world):
        html = client.get(world["charter"].url + "?print=1").content.decode()
        assert 'class="print-view"' in html
        assert 'id="clause-2"' in html
        assert world["entry"].text_sha256 in html
        assert "site-nav" not in html

    def test_revoked_banner(self, client, world):
        html = client.get(world["revoked_charter"].url).content.decode()
        assert "banner--revoked" in html
        assert "ไม่มีผลการดำเนินงาน" in html


@pytest.mark.django_db
class TestDiff:
    def test_thai_words_are_segmented(self):
        assert words("ยกร่างระเบียบข้อบังคับ") == ["ยก", "ร่าง", "ระเบียบ", "ข้อบังคับ"]
        diff = word_diff("สมาชิกต้องมีภูมิลำเนาในตำบล", "สมาชิกต้องมีภูมิลำเนาในตำบลไม่น้อยกว่าหนึ่งปี")
        assert [(c.kind, c.text) for c in diff.chunks] == [
            ("equal", "สมาชิกต้องมีภูมิลำเนาในตำบล"), ("insert", "ไม่น้อยกว่าหนึ่งปี"),
        ]
        assert diff.inserted_words == 4 and diff.deleted_words == 0
        replaced = word_diff("คณะกรรมการมีเก้าคน", "คณะกรรมการมีสิบเอ็ดคน")
        assert [c.kind for c in replaced.chunks] == ["equal", "delete", "insert", "equal"]
        assert "".join(c.text for c in replaced.chunks if c.kind != "insert") == "คณะกรรมการมีเก้าคน"

    def test_diff_page_between_registered_versions(self, client, world):
        entry = world["entry"]
        html = client.get(f"/registry/{entry.pk}/versions/", {"from": 0, "to": 1}).content.decode()
        assert "<ins>ไม่น้อยกว่าหนึ่งปี</ins>" in html
        same = client.get(f"/registry/{entry.pk}/versions/", {"from": 1, "to": 1}).content.decode()
        assert "<ins>" not in same.split('class="diff"')[1]
        bad = client.get(f"/registry/{entry.pk}/versions/", {"from": 7})
        assert bad.status_code == 400
        assert client.get("/registry/999999/versions/").status_code == 404


@pytest.mark.django_db
class TestVerify:
    def test_valid(self, client, world):
        entry = world["entry"]
        response = client.get(f"/verify/{entry.registration_number}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "result--valid" in html
        assert entry.network.title in html
        assert entry.text_sha256 == hashlib.sha256(entry.registered_text.encode()).hexdigest()
        assert entry.text_sha256 in html
        assert re.search(r"\d{1,2} [ก-๙]+ 2567", html)  # registered in 2024 = 2567 B.E.

    def test_a_printed_copy_is_checked_by_its_fingerprint(self, client, world):
        entry = world["entry"]
        url = f"/verify/{entry.registration_number}/"
        original = entry.history.order_by("history_date").first().registered_text
        # Pasted from a printout: Windows line endings and a trailing newline do not matter.
        html = client.post(url, {"text": original.replace("\n", "\r\n") + "\r\n"}).content.decode()
        assert "text-check__match" in html and "text-check__mismatch" not in html
        forged = entry.registered_text.replace("ไม่น้อยกว่าหนึ่งปี", "ไม่น้อยกว่าสองปี")
        html = client.post(url, {"text": forged}).content.decode()
        assert "text-check__mismatch" in html and "text-check__match" not in html
        empty = client.post(url, {"text": "  "})
        assert 'class="field__error"' in empty.content.decode()

    def test_revoked(self, client, world):
        entry = world["revoked_entry"]
        html = client.get(f"/verify/{entry.registration_number}/").content.decode()
        assert "result--revoked" in html and "result--valid" not in html
        assert "ไม่มีผลการดำเนินงาน" in html

    def test_unknown(self, client, world):
        response = client.get("/verify/57-2500-9999/")
        assert response.status_code == 404
        assert "result--unknown" in response.content.decode()

    def test_form_redirects_to_the_number(self, client, world):
        number = world["entry"].registration_number
        response = client.get("/verify/", {"number": f"  {number} "})
        assert response.status_code == 302 and response["Location"] == f"/verify/{number}/"
        response = client.get("/en/verify/", {"number": number})
        assert response["Location"] == f"/en/verify/{number}/"
        empty = client.get("/verify/", {"number": "   "})
        assert empty.status_code == 200 and 'class="field__error"' in empty.content.decode()

    def test_english(self, client, world):
        entry = world["entry"]
        html = client.get(f"/en/verify/{entry.registration_number}/").content.decode()
        assert '<html lang="en">' in html and "Valid" in html
        assert "1 June 2024" in html


@pytest.mark.django_db
class TestMinutesAndPlans:
    def test_minutes_in_the_official_layout(self, client, world):
        html = client.get(world["minutes"].url).content.decode()
        assert "รายงานการประชุมคณะกรรมการเครือข่าย" in html
        assert "ครั้งที่ 1/2568" in html
        assert "๑๔ พฤษภาคม ๒๕๖๘" in html  # the official date form, Thai numerals
        assert "ผู้มาประชุม" in html and "แทน นายสมชาย" in html
        assert "เริ่มประชุมเวลา ๐๙.๓๐ น." in html and "เลิกประชุมเวลา ๑๒.๐๐ น." in html
        assert "ระเบียบวาระที่ ๑" in html and "มติที่ประชุม" in html
        assert "ผู้จดรายงานการประชุม" in html
        english = client.get("/en" + world["minutes"].url).content.decode()
        assert "Minutes of meeting 1/2568, held on 14 May 2025" in english

    def test_action_plan_progress_and_totals(self, client, world):
        html = client.get(world["plan"].url).content.decode()
        assert '<progress max="100" value="40"' in html
        assert "20 พฤษภาคม 2568" in html and "15 มิถุนายน 2568" in html
        assert "12,000.00" in html and "8,000.00" in html
        assert re.search(r"<tfoot>.*20,000\.00", html, re.S)
        assert "60%" in html and "40%" in html  # shares of the budget by source
        html = client.get("/en" + world["plan"].url).content.decode()
        assert "20 May 2025" in html and "CODI" in html


@pytest.mark.django_db
def test_original_text_survives_amendment(world):
    entry = RegistryEntry.objects.get(pk=world["entry"].pk)

    versions = registered_versions(entry)
    assert [v.index for v in versions] == [0, 1]
    assert "ไม่น้อยกว่าหนึ่งปี" not in versions[0].text
    assert "ไม่น้อยกว่าหนึ่งปี" in versions[1].text
    assert versions[0].sha256 == hashlib.sha256(versions[0].text.encode()).hexdigest()
