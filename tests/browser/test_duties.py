"""A duty after registration in a real browser: the chair of a registered organization files its
half-year report in the admin, the registrar accepts it from the queue, and the public registry shows it.
Screenshots go to artifacts/screenshots/half_year_report_filed_accepted_and_public/."""

import datetime
import re

import pytest

from registry.duties import periods_to_report
from registry.models import FilingStatus, HalfYearReport
from registry.services import register
from tests.factories import add_charter, add_province, make_committee_member, make_registrar

from .test_charter_road import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_half_year_report_filed_accepted_and_public(home, live_server, browser, screenshot):
    network = add_province(home, "57", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", publish=True)
    make_committee_member(network, "chair", "chair", email="chair@example.org")
    registrar = make_registrar("registrar", email="registrar@example.org")
    registered_on = datetime.date.today() - datetime.timedelta(days=400)
    entry = register(add_charter(network, publish=True), registrar, on_date=registered_on)
    period_end = periods_to_report(entry)[0]
    base = live_server.url
    page = browser.new_page(locale="th-TH")

    # The chair finds the duty in the menu and files the report.
    login(page, base, "chair")
    # The admin menu has the way there (the sidebar's submenu; followed by its address).
    assert page.locator("a.sidebar-menu-item__link[href='/admin/registry-duties/']").count() == 1
    page.goto(f"{base}/admin/registry-duties/")
    screenshot(page, "committee-duties")
    page.get_by_role("link", name=re.compile("File a half-year report|ยื่นรายงาน")).first.click()
    page.select_option("#id_period_end", period_end.isoformat())
    page.fill("#id_activities", "จ่ายสวัสดิการเกิด แก่ เจ็บ ตาย 42 ราย ประชุมคณะกรรมการ 6 ครั้ง")
    page.fill("#id_members", "812")
    page.fill("#id_received_members", "12000")
    page.fill("#id_spent_members", "8000.50")
    page.fill("#id_received_codi", "3000")
    screenshot(page, "report-form")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/registry-duties/report/\d+/$"))
    screenshot(page, "report-filed")
    report = HalfYearReport.objects.get()
    assert report.status == FilingStatus.FILED and report.members == 812

    # The registrar receives it in the queue and accepts it.
    login(page, base, "registrar")
    page.goto(f"{base}/admin/registry-duties/queue/")
    screenshot(page, "registrar-queue")
    page.get_by_role("link", name=entry.organization_name).click()
    page.wait_for_url(re.compile(r".*/admin/registry-duties/report/\d+/$"))
    page.locator("form:has(input[name=action][value=accept]) button").click()
    page.wait_for_url(re.compile(r".*/admin/registry-duties/queue/$"))
    screenshot(page, "accepted")
    report.refresh_from_db()
    assert report.status == FilingStatus.ACCEPTED

    # The public registry shows the accepted report, without personal data.
    page.context.clear_cookies()
    page.goto(f"{base}/en/registry/")
    row = page.locator("tr", has_text=entry.registration_number)
    cell = row.locator("td").last
    assert "accepted" in cell.inner_text()
    assert str(period_end.year) in cell.inner_text()
    assert "chair" not in row.inner_text()
    screenshot(page, "public-registry")
