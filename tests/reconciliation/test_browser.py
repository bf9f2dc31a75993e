"""Import → columns and preview → resolve → district summary, in Chromium. Screenshots of every step
go to artifacts/screenshots/three_sources_to_one_list/."""

import re

import pytest

from funds.models import FundRecord
from reconciliation.models import Resolution, SourceImport
from tests.browser.conftest import browser, screenshot  # noqa: F401  (the browser tier's fixtures)
from tests.browser.test_charter_road import login
from tests.factories import make_provincial_officer

from .conftest import DEMO_FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_three_sources_to_one_list(live_server, browser, screenshot, chiang_rai, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    make_provincial_officer("officer", "57", admin_access=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="th-TH")
    login(page, base, "officer")

    # 1. The program's workbook: its columns are guessed; the preview shows every row matched by code.
    page.goto(f"{base}/admin/funds/reconciliation/57/upload/")
    page.select_option("#id_source", "program")
    page.set_input_files("#id_file", str(DEMO_FILES / "program-2562.xlsx"))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/reconciliation/upload/\d+/$"))
    assert page.locator("#column-mapping select").first.input_value() == "tambon_code"
    assert page.locator("#preview-rows tbody tr").count() == 12
    assert page.locator("#preview-rows tr.preview-matched").count() == 12
    screenshot(page, "preview-program")
    page.click("button[name=confirm]")
    page.wait_for_url(re.compile(r".*/reconciliation/import/\d+/$"))
    screenshot(page, "imported-program")

    # 2. The survey (UTF-8 with BOM): one row refused, with its reason, in the preview.
    page.goto(f"{base}/admin/funds/reconciliation/57/upload/")
    page.select_option("#id_source", "survey")
    page.set_input_files("#id_file", str(DEMO_FILES / "survey-2562.csv"))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/reconciliation/upload/\d+/$"))
    assert page.locator("#encoding").inner_text() == "UTF-8 (BOM)"
    assert "ไม่ทราบ" in page.locator("#preview-rows tr.preview-refused").inner_text()
    screenshot(page, "preview-survey")
    page.click("button[name=confirm]")
    page.wait_for_url(re.compile(r".*/reconciliation/import/\d+/$"))
    assert page.locator("#refused-rows li").count() == 1
    assert SourceImport.objects.count() == 2

    # 3. The province's progress: Mueang Chiang Rai has funds that disagree.
    page.goto(f"{base}/admin/funds/reconciliation/57/")
    mueang = page.locator("#district-progress tr[data-district='5701']")
    assert mueang.locator("td").nth(2).inner_text() == "2"  # บ้านดู่ (members) and แม่ยาว (status)
    screenshot(page, "province-before")
    mueang.locator("a").click()
    page.wait_for_url(re.compile(r".*/district/5701/$"))
    page.click("#district-funds a:has-text('บ้านดู่')")
    page.wait_for_url(re.compile(r".*/reconciliation/fund/\d+/$"))

    # 4. Resolve the members of บ้านดู่ with the survey's figure and a reason.
    row = page.locator("#side-by-side tr[data-field='members_now']")
    assert "reconciliation-disagree" in row.get_attribute("class")
    screenshot(page, "fund-side-by-side")
    form = page.locator("#side-by-side tr[data-resolve='members_now'] form")
    form.locator("input[name=choice][value=survey]").check()
    form.locator("textarea[name=reason]").fill("เครือข่ายอำเภอตรวจทะเบียนสมาชิกแล้ว")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#side-by-side tr[data-field='members_now']")
    assert "reconciliation-resolved" in row.get_attribute("class")
    screenshot(page, "fund-resolved")
    assert FundRecord.objects.get(network__area_code="570103").members_now == 1180
    assert Resolution.objects.get().reason == "เครือข่ายอำเภอตรวจทะเบียนสมาชิกแล้ว"

    # 5. The district summary now counts one fewer disagreement.
    page.goto(f"{base}/admin/funds/reconciliation/57/")
    mueang = page.locator("#district-progress tr[data-district='5701']")
    assert mueang.locator("td").nth(2).inner_text() == "1"
    screenshot(page, "province-after")
