"""Key screens render in Thai by default and in English under /en/."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_is_thai_at_root(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # the browser's language does not override the URL
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "ข้อบังคับเครือข่ายสวัสดิการชุมชน" in html  # the site title
    assert "ข้ามไปยังเนื้อหา" in html
    text = visible_text(response)
    assert "Community welfare charters" not in text
    assert "Skip to content" not in text


def test_home_is_english_under_en(client, home):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Community welfare charters" in html
    assert "ข้อบังคับเครือข่ายสวัสดิการชุมชน" not in html


def test_editor_offers_thai_workflow_buttons_to_the_drafter(client, charter_world):
    client.force_login(charter_world["drafter"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[charter_world["charter"].pk]))
    assert response.status_code == 200
    text = visible_text(response)
    assert "บันทึกฉบับร่าง" in text  # Save draft
    assert "ส่งเข้าขั้นตอน" in text  # Submit to <workflow>
    assert "แสดงตัวอย่าง" in response.content.decode()  # Preview
    for english in ("Save draft", "Submit to ", "Preview", "Status"):
        assert english not in text


def test_reviewer_sees_thai_dashboard_and_decisions(client, charter_world):
    charter, chair = charter_world["charter"], charter_world["chair"]
    charter.get_workflow().start(charter, charter_world["drafter"])

    client.force_login(chair)
    dashboard = visible_text(client.get(reverse("wagtailadmin_home")))
    assert "หน้าหลัก" in dashboard  # Dashboard
    assert "รอท่านดำเนินการ" in dashboard  # the project's "awaiting my action" panel
    assert charter.title in dashboard
    for english in ("Dashboard", "Awaiting my action", "Awaiting your review"):
        assert english not in dashboard

    editor = visible_text(client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk])))
    assert "อนุมัติ" in editor  # Approve
    assert "ขอให้แก้ไข" in editor  # Request changes
    for english in ("Approve", "Request changes", "Cancel workflow"):
        assert english not in editor


def test_login_page_is_thai(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    labels = re.findall(r'<label[^>]*for="id_(\w+)"[^>]*>\s*([^<]+?)\s*<', response.content.decode())
    assert dict(labels) == {"username": "ชื่อผู้ใช้", "password": "รหัสผ่าน"}
    text = visible_text(response)
    assert "เข้าสู่ระบบ" in text and "ลืมรหัสผ่าน?" in text
    response = client.post(reverse("wagtailadmin_login"), {"username": "nobody", "password": "wrong"})
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in visible_text(response)
