"""The admin screens over HTTP: import → columns and preview → confirm, resolve, choose the fund of a
waiting row, the district's XLSX; who may see and do what, per role and province; bounded queries."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from funds.models import FundRecord
from networks.models import NetworkPage
from reconciliation.models import PendingUpload, Resolution, SourceImport, SourceRow
from reconciliation.services import resolve
from tests import provinces
from tests.factories import make_committee_member, make_provincial_officer

from .conftest import demo_file, import_bytes

# Chiang Rai built once for the module (tests/provinces.py); not in conftest.py, for the browser test (a
# transactional one) cannot run inside the module's transaction.
chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai


def upload(client, name, data, source="survey"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("reconciliation:upload", args=["57"]), {"source": source, "file": file})


def fund_url(code):
    return reverse("reconciliation:fund", args=[NetworkPage.objects.get(area_code=code).pk])


@pytest.fixture
def district_member(chiang_rai):
    return make_committee_member(NetworkPage.objects.get(area_code="5701", level="district"), "cr_district")


@pytest.fixture
def province_member(chiang_rai):
    return make_committee_member(chiang_rai, "cr_province")


def test_upload_preview_and_confirm(client, officer, chiang_rai, media):
    client.force_login(officer)
    response = upload(client, "matching-2562.csv", demo_file("matching-2562.csv"), source="matching")
    pending = PendingUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reconciliation:preview", args=[pending.pk])
    assert not SourceImport.objects.exists()  # nothing is imported before the preview is confirmed

    with translation.override("en"):
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "cp874 / TIS-620" in html
    assert "ต.บ้านแซ่ว" in html and "กองทุนสวัสดิการชุมชนบ้านห้วยน้ำขุ่น" in html
    form = page.context["form"]
    mapping = {name: field.initial for name, field in form.fields.items()}
    assert mapping["col_1"] == "fund_name" and mapping["col_0"] == ""

    # The person changes a column (members not used), updates the preview, then confirms.
    mapping["col_4"] = ""
    page = client.post(response["Location"], {**mapping, "update": "1"})
    assert page.status_code == 200 and not SourceImport.objects.exists()
    assert PendingUpload.objects.get().column_mapping["จำนวนสมาชิก"] == ""
    done = client.post(response["Location"], {**mapping, "confirm": "1"})
    source_import = SourceImport.objects.get()
    assert done["Location"] == reverse("reconciliation:import", args=[source_import.pk])
    assert source_import.encoding == "cp874" and source_import.imported_by == officer
    assert "members_now" not in SourceRow.objects.filter(source_import=source_import).first().values
    assert not PendingUpload.objects.exists()
    assert client.get(done["Location"]).status_code == 200


def test_a_mapping_without_the_fund_column_is_refused(client, officer, chiang_rai, media):
    client.force_login(officer)
    response = upload(client, "survey-2562.csv", demo_file("survey-2562.csv"))
    fields = {f"col_{i}": "" for i in range(6)}
    with translation.override("en"):
        page = client.post(response["Location"], {**fields, "confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert not SourceImport.objects.exists()
    assert page.context["form"].non_field_errors()


@pytest.mark.parametrize(("name", "data"), [
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary"),
    ("numbers.csv", b"1,2\n3,4\n"),
    ("broken.xlsx", b"PK\x03\x04garbage"),
])
def test_a_malformed_upload_saves_nothing_and_says_why(client, officer, chiang_rai, media, name, data):
    client.force_login(officer)
    response = upload(client, name, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not PendingUpload.objects.exists() and not SourceImport.objects.exists()


def test_resolve_over_http(client, officer, demo_imports):
    client.force_login(officer)
    url = fund_url("570106")
    page = client.get(url)
    assert b'class="reconciliation-disagree" data-field="status"' in page.content
    refused = client.post(url, {"field_name": "status", "choice": "survey", "reason": "  "})
    assert refused.status_code == 200 and not Resolution.objects.exists()
    done = client.post(url, {"field_name": "status", "choice": "survey", "reason": "คณะกรรมการหมดวาระ"})
    assert done.status_code == 302
    assert FundRecord.objects.get(network__area_code="570106").status == "dormant"
    manual = client.post(fund_url("570102"), {"field_name": "matching_codi", "choice": "manual",
                                              "value": "135,000", "reason": "ตามหนังสืออนุมัติ"})
    assert manual.status_code == 302
    assert str(FundRecord.objects.get(network__area_code="570102").matching_codi) == "135000.00"
    page = client.get(url)
    assert b'class="reconciliation-resolved" data-field="status"' in page.content


def test_choose_the_fund_of_a_waiting_row(client, officer, demo_imports):
    client.force_login(officer)
    url = reverse("reconciliation:rows", args=["57"])
    row = SourceRow.objects.get(status="ambiguous")
    assert row.fund_name.encode() in client.get(url).content
    client.post(url, {"row": row.pk, "code": "570801"})
    row.refresh_from_db()
    assert row.status == "matched" and row.network.area_code == "570801"
    other = SourceRow.objects.get(status="unmatched")
    client.post(url, {"row": other.pk, "code": "999999"})  # no such fund: nothing changes
    other.refresh_from_db()
    assert other.status == "unmatched" and other.network is None


def test_district_xlsx_download(client, officer, demo_imports):
    client.force_login(officer)
    response = client.get(reverse("reconciliation:district", args=["57", "5701"]), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=3, values_only=True)) == ["570102", "570103", "570106"]


def test_officer_of_another_province_is_refused_everywhere(client, officer_11, demo_imports):
    client.force_login(officer_11)
    row = SourceRow.objects.filter(status="ambiguous").first()
    urls = [
        reverse("reconciliation:province", args=["57"]),
        reverse("reconciliation:upload", args=["57"]),
        reverse("reconciliation:rows", args=["57"]),
        reverse("reconciliation:district", args=["57", "5701"]),
        reverse("reconciliation:import", args=[demo_imports["survey"].pk]),
        fund_url("570106"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(fund_url("570106"), {"field_name": "status", "choice": "survey", "reason": "x"}).status_code == 403
    assert client.post(urls[2], {"row": row.pk, "code": "570801"}).status_code == 403
    assert not Resolution.objects.exists() and SourceRow.objects.get(pk=row.pk).status == "ambiguous"
    assert upload(client, "survey.csv", demo_file("survey-2562.csv")).status_code == 403
    assert not PendingUpload.objects.exists()


def test_a_pending_upload_is_its_uploader_s_only(client, officer, chiang_rai, media):
    client.force_login(officer)
    upload(client, "survey.csv", demo_file("survey-2562.csv"))
    pending = PendingUpload.objects.get()
    client.force_login(make_provincial_officer("officer_cr2", "57", admin_access=True))
    assert client.get(reverse("reconciliation:preview", args=[pending.pk])).status_code == 403
    assert client.post(reverse("reconciliation:preview", args=[pending.pk]), {"confirm": "1"}).status_code == 403
    assert not SourceImport.objects.exists()


def test_district_committee_reads_its_district_only(client, district_member, demo_imports):
    client.force_login(district_member)
    province = client.get(reverse("reconciliation:province", args=["57"]))
    assert province.status_code == 200
    assert [entry.code for entry in province.context["progress"]] == ["5701"]
    assert b"reconciliation/57/upload/" not in province.content
    assert client.get(reverse("reconciliation:district", args=["57", "5701"])).status_code == 200
    assert client.get(reverse("reconciliation:district", args=["57", "5702"])).context["funds"] == []
    page = client.get(fund_url("570106"))
    assert page.status_code == 200 and b'name="reason"' not in page.content
    assert client.get(fund_url("570202")).status_code == 403
    assert client.post(fund_url("570106"), {"field_name": "status", "choice": "survey", "reason": "x"}).status_code == 403
    for name in ("upload", "rows"):
        assert client.get(reverse(f"reconciliation:{name}", args=["57"])).status_code == 403
    assert client.get(reverse("reconciliation:import", args=[demo_imports["survey"].pk])).status_code == 403
    assert not Resolution.objects.exists()


def test_provincial_committee_reads_the_whole_province(client, province_member, demo_imports):
    client.force_login(province_member)
    assert client.get(reverse("reconciliation:index")).status_code == 302
    province = client.get(reverse("reconciliation:province", args=["57"]))
    assert len(province.context["progress"]) == 18
    assert client.get(fund_url("570202")).status_code == 200
    assert client.get(reverse("reconciliation:upload", args=["57"])).status_code == 403


def test_someone_without_a_role_sees_nothing(client, outsider, demo_imports):
    client.force_login(outsider)
    assert client.get(reverse("reconciliation:index")).status_code == 403
    assert client.get(reverse("reconciliation:province", args=["57"])).status_code == 403
    assert client.get(fund_url("570106")).status_code == 403


LISTINGS = ("province", "district", "rows", "import", "fund")


def listing_urls(imports):
    return {
        "province": reverse("reconciliation:province", args=["57"]),
        "district": reverse("reconciliation:district", args=["57", "5701"]),
        "rows": reverse("reconciliation:rows", args=["57"]),
        "import": reverse("reconciliation:import", args=[imports["program"].pk]),
        "fund": fund_url("570103"),
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listings_run_a_bounded_number_of_queries(client, officer, demo_imports, django_assert_max_num_queries):
    """A fixed number of queries, no more with thirty more rows waiting and fields resolved."""
    client.force_login(officer)
    urls = listing_urls(demo_imports)
    for url in urls.values():
        client.get(url)  # the first request of a session reads what later ones find cached
    before = {name: count_queries(client, url) for name, url in urls.items()}
    for name, url in urls.items():
        with django_assert_max_num_queries(QUERY_LIMITS[name]):
            client.get(url)
    # More of everything: a newer survey with thirty more rows (all waiting for a person), resolutions.
    text = demo_file("survey-2562.csv").decode("utf-8-sig")
    extra = "".join(f"เชียงแสน,ป่าสัก{i},ดำเนินการ,๑๐,x,\n" for i in range(30))
    import_bytes((text + extra).encode(), "survey-more.csv", "survey", officer)
    for code, field_name in (("570103", "members_now"), ("570106", "status")):
        resolve(NetworkPage.objects.get(area_code=code), field_name, user=officer, reason="ตรวจแล้ว", source="survey")
    after = {name: count_queries(client, url) for name, url in listing_urls(demo_imports).items()}
    assert all(after[name] <= before[name] for name in urls), f"{before} -> {after}"


# Measured: province 30, district 24, rows 20, import 21, fund 26, of which the admin's menu, sidebar and
# permission checks (other apps') are about 18; the limits leave room for those to grow a little. That the
# counts do not grow with the data is asserted exactly above.
QUERY_LIMITS = {"province": 40, "district": 34, "rows": 30, "import": 31, "fund": 36}


def test_the_menu_item_under_the_funds_menu(client, officer, outsider, district_member):
    index = reverse("reconciliation:index")
    for user, shown in ((officer, True), (district_member, True), (outsider, False)):
        client.force_login(user)
        assert (index in client.get(reverse("wagtailadmin_home")).content.decode()) is shown, user


def test_write_agreed_values_over_http(client, officer, district_member, demo_imports):
    url = reverse("reconciliation:province", args=["57"])
    client.force_login(district_member)
    assert client.post(url).status_code == 403
    assert not FundRecord.objects.exists()
    client.force_login(officer)
    assert client.post(url).status_code == 302
    assert FundRecord.objects.get(network__area_code="570106").members_now == 540


def test_an_upload_left_unconfirmed_for_a_day_is_dropped(client, officer, chiang_rai, media):
    client.force_login(officer)
    upload(client, "survey.csv", demo_file("survey-2562.csv"))
    stale = PendingUpload.objects.get()
    PendingUpload.objects.filter(pk=stale.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=2))
    upload(client, "program.xlsx", demo_file("program-2562.xlsx"), source="program")
    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["program.xlsx"]
    assert not stale.file.storage.exists(stale.file.name)


def test_the_file_as_uploaded_is_kept_and_given_to_managers_only(client, officer, officer_11, demo_imports):
    url = reverse("reconciliation:import_file", args=[demo_imports["matching"].pk])
    client.force_login(officer_11)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert b"".join(response.streaming_content) == demo_file("matching-2562.csv")


@pytest.mark.parametrize("name", ["district", "rows", "upload"])
def test_the_pages_below_a_province_lead_back_to_it(client, officer, demo_imports, name):
    client.force_login(officer)
    args = ["57", "5701"] if name == "district" else ["57"]
    soup = BeautifulSoup(client.get(reverse(f"reconciliation:{name}", args=args)).content, "html.parser")
    crumbs = [link["href"] for link in soup.select("[data-controller~=w-breadcrumbs] a[href]")]
    assert reverse("reconciliation:province", args=["57"]) in crumbs, crumbs
