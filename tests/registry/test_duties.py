"""The duties after registration (issue 13, item 3): half-year reports and 30-day notices filed by the
chair or secretary, received by the registrar (accepted or returned with a reason), the organizations
past a 30-day duty for the registrar and the officer of their province, the public registry's column,
and the embedded scheduler that runs the deadlines and reminders under `make run`."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from networks.models import HomePage
from outbox.models import OutboxMessage, SentReminder
from registry import duties
from registry.models import (
    ChangeNotice,
    FilingStatus,
    HalfYearReport,
    MoneySource,
    NoticeKind,
    RegistryEntry,
)
from registry.services import register
from registry.wagtail_hooks import worded_log_value
from tests import factories
from tests.factories import add_charter, add_province, make_committee_member, make_provincial_officer
from tests.scoped import built_once_per_module, refetched

pytestmark = pytest.mark.django_db

REGISTERED = datetime.date(2026, 1, 10)
# Two half-years have ended and are past their 30 days: 1 Oct 2568 – 31 Mar 2569 and 1 Apr – 30 Sep 2569.
TODAY = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
MARCH = datetime.date(2026, 3, 31)
SEPTEMBER = datetime.date(2026, 9, 30)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def registered_org(home, registrar, code, title, prefix):
    network = add_province(home, code, title=title)
    chair = make_committee_member(network, f"{prefix}_chair", "chair", email=f"{prefix}_chair@example.org")
    secretary = make_committee_member(network, f"{prefix}_sec", "secretary", email=f"{prefix}_sec@example.org")
    member = make_committee_member(network, f"{prefix}_member", "member", email=f"{prefix}_member@example.org")
    entry = register(add_charter(network, publish=True), registrar, on_date=REGISTERED)
    return {"network": network, "entry": entry, "chair": chair, "secretary": secretary, "member": member}


def build_org():
    """The registrar (as tests/conftest.py makes it) and Chiang Rai's organization, registered on the day the
    tests run in."""
    with time_machine.travel(TODAY, tick=False):
        registrar = factories.make_registrar(
            admin_access=True, email="registrar@example.org", started_on=factories.LONG_AGO
        )
        home = HomePage.objects.get()
        org = registered_org(home, registrar, "57", "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย", "cr")
    return {"registrar": registrar, "org": org}


# Built once for the module (tests/scoped.py); each test's writes roll back to it.
_org_world = built_once_per_module(build_org)


@pytest.fixture
def org(_org_world, today):
    return refetched(_org_world["org"])


@pytest.fixture
def registrar(_org_world, db):
    """The registrar who registered the organization; also in the tests without it (who see it, then)."""
    return refetched(_org_world["registrar"])


@pytest.fixture
def other_org(home, registrar, today):
    return registered_org(home, registrar, "11", "เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ", "sp")


MONEY = {
    MoneySource.MEMBERS: duties.Money(Decimal("12000.00"), Decimal("8000.50")),
    MoneySource.LOCAL_GOVERNMENT: duties.Money(Decimal("5000"), Decimal("0")),
}


def file_march(org, **overrides):
    values = {"period_end": MARCH, "activities": "จ่ายสวัสดิการเกิด แก่ เจ็บ ตาย 42 ราย", "members": 812,
              "money": MONEY}
    return duties.file_report(org["entry"], org["chair"], **{**values, **overrides})


def report_post(period=MARCH, **overrides):
    data = {"period_end": period.isoformat(), "activities": "ประชุมคณะกรรมการ 6 ครั้ง จ่ายสวัสดิการ 42 ราย",
            "members": "812", "received_members": "12000", "spent_members": "8000.50",
            "received_codi": "3000", "spent_codi": ""}
    data.update(overrides)
    return data


def emails_to(address):
    return [m for m in OutboxMessage.objects.filter(task_name="outbox.tasks.send_email") if address in m.payload["to"]]


# --- Filing, and its rules -----------------------------------------------------------------------


def test_the_chair_files_a_half_year_report_with_money_by_source(org):
    report = file_march(org)
    assert report.status == FilingStatus.FILED and report.filed_by == org["chair"]
    assert {(m.source, m.received, m.spent) for m in report.money.all()} == {
        ("members", Decimal("12000.00"), Decimal("8000.50")), ("local_government", Decimal("5000.00"), Decimal("0.00")),
    }
    assert report.history.count() == 1 and report.history.get().history_user == org["chair"]
    # The secretary may file too; a committee member, an officer or the registrar may not.
    duties.file_report(org["entry"], org["secretary"], period_end=SEPTEMBER, activities="ประชุม", members=815, money={})


@pytest.mark.parametrize("who", ["member", "officer", "registrar", "other_chair"])
def test_only_the_chair_or_secretary_of_that_organization_files(org, other_org, officer, registrar, who):
    user = {"member": org["member"], "officer": officer, "registrar": registrar, "other_chair": other_org["chair"]}[who]
    with pytest.raises(ValidationError) as error:
        duties.file_report(org["entry"], user, period_end=MARCH, activities="x", members=1, money={})
    assert error.value.code == "not_chair_or_secretary"
    assert not HalfYearReport.objects.exists()


@pytest.mark.parametrize(
    ("period_end", "members", "money", "field"),
    [
        (datetime.date(2026, 6, 30), 10, {}, "period_end"),  # not the end of a half-year
        (datetime.date(2025, 9, 30), 10, {}, "period_end"),  # before the registration
        (datetime.date(2027, 3, 31), 10, {}, "period_end"),  # not ended yet
        (MARCH, -1, {}, "members"),
        (MARCH, 10, {MoneySource.CODI: duties.Money(Decimal("-5"), 0)}, "__all__"),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(org, period_end, members, money, field):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        duties.file_report(org["entry"], org["chair"], period_end=period_end, activities="x", members=members, money=money)
    assert field in error.value.message_dict
    assert not HalfYearReport.objects.exists()


def test_empty_activities_are_refused(org):
    with pytest.raises(ValidationError) as error:
        file_march(org, activities="   ")
    assert "activities" in error.value.message_dict


def test_one_report_per_organization_and_half_year(org):
    file_march(org)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file_march(org)
    assert error.value.message_dict["period_end"] == ["This organization has already filed its report for this half-year."]
    assert HalfYearReport.objects.count() == 1
    # The database itself refuses a second row.
    with pytest.raises(IntegrityError), transaction.atomic():
        HalfYearReport.objects.create(
            entry=org["entry"], period_end=MARCH, activities="x", members=1, filed_at=timezone.now()
        )


def test_a_revoked_organization_files_nothing(org, registrar):
    from registry.services import revoke

    revoke(org["entry"], registrar, "ไม่มีผลการดำเนินงาน")
    org["entry"].refresh_from_db()
    with pytest.raises(ValidationError) as error:
        file_march(org)
    assert error.value.code == "revoked"


def test_notices_need_their_fields(org):
    entry, chair = org["entry"], org["chair"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        duties.file_notice(entry, chair, kind=NoticeKind.NAME, changed_on=datetime.date(2026, 10, 1), details="มติที่ประชุม")
    assert "new_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        duties.file_notice(entry, chair, kind=NoticeKind.OFFICE, changed_on=datetime.date(2027, 1, 1), details="ที่ใหม่")
    assert "changed_on" in error.value.message_dict  # in the future
    with pytest.raises(ValidationError) as error:
        duties.file_notice(entry, chair, kind=NoticeKind.OFFICE, changed_on=datetime.date(2025, 1, 1), details="ที่ใหม่")
    assert "changed_on" in error.value.message_dict  # before the registration
    assert not ChangeNotice.objects.exists()
    duties.file_notice(entry, chair, kind=NoticeKind.OFFICE, changed_on=datetime.date(2026, 10, 1), details="ย้ายไปศาลาประชาคม")
    with pytest.raises(ValidationError) as error:
        duties.file_notice(entry, chair, kind=NoticeKind.OFFICE, changed_on=datetime.date(2026, 10, 1), details="ซ้ำ")
    assert error.value.error_dict["changed_on"][0].code == "duplicate"
    assert ChangeNotice.objects.count() == 1


# --- Through the admin: file, return with a reason, correct, accept --------------------------------


def test_the_road_of_a_report_through_the_admin(client, org, registrar):
    entry = org["entry"]
    client.force_login(org["chair"])
    # The chair's list shows both half-years as not reported, with the buttons.
    index = client.get(reverse("registry_duties:index")).content.decode()
    assert entry.organization_name in index and reverse("registry_duties:report_add", args=[entry.pk]) in index
    form = client.get(reverse("registry_duties:report_add", args=[entry.pk]))
    assert form.status_code == 200
    html = form.content.decode()
    assert MARCH.isoformat() in html and SEPTEMBER.isoformat() in html
    assert "1 ตุลาคม 2568" in html  # the half-year in the Buddhist Era

    # A negative amount is refused and nothing is saved.
    response = client.post(reverse("registry_duties:report_add", args=[entry.pk]), report_post(spent_codi="-1"))
    assert response.status_code == 200 and not HalfYearReport.objects.exists()
    response = client.post(reverse("registry_duties:report_add", args=[entry.pk]), report_post())
    report = HalfYearReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry_duties:report", args=[report.pk])
    assert report.members == 812 and report.money.get(source="codi").received == Decimal("3000.00")

    # The registrar's queue shows it; returning it needs a reason.
    client.force_login(registrar)
    queue = client.get(reverse("registry_duties:queue")).content.decode()
    assert reverse("registry_duties:report", args=[report.pk]) in queue
    detail_url = reverse("registry_duties:report", args=[report.pk])
    response = client.post(detail_url, {"action": "return", "reason": "  "})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == FilingStatus.FILED
    reason = "ยอดเงินรับจากสมาชิกไม่ตรงกับสมุดบัญชี"
    response = client.post(detail_url, {"action": "return", "reason": reason})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FilingStatus.RETURNED and report.return_reason == reason
    # The chair and the secretary are e-mailed the reason, Thai first.
    sent = emails_to("cr_chair@example.org")
    assert len(sent) == 1 and "cr_sec@example.org" in sent[0].payload["to"]
    assert reason in sent[0].payload["body"]
    assert "cr_member@example.org" not in sent[0].payload["to"]

    # The chair sees the reason, corrects the report and files it again.
    client.force_login(org["chair"])
    page = client.get(reverse("registry_duties:organization", args=[entry.pk])).content.decode()
    assert reason in page
    edit_url = reverse("registry_duties:report_edit", args=[entry.pk, report.pk])
    assert reason in client.get(edit_url).content.decode()
    response = client.post(edit_url, report_post(received_members="12500"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FilingStatus.FILED and report.money.get(source="members").received == Decimal("12500.00")
    assert HalfYearReport.objects.count() == 1

    # The registrar accepts; the committee is told; the chair can no longer change it.
    client.force_login(registrar)
    assert client.post(detail_url, {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == FilingStatus.ACCEPTED and report.decided_by == registrar
    assert len(emails_to("cr_chair@example.org")) == 2
    assert client.post(detail_url, {"action": "accept"}).status_code == 302  # decided already: nothing changes
    assert report.history.count() == 4  # filed, returned, filed again, accepted
    client.force_login(org["chair"])
    response = client.get(edit_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry_duties:organization", args=[entry.pk])
    assert list(get_messages(response.wsgi_request))[-1].level_tag == "warning"  # it says why
    client.post(edit_url, report_post(received_members="1"))
    report.refresh_from_db()
    assert report.money.get(source="members").received == Decimal("12500.00")


def test_an_accepted_change_of_name_becomes_the_registered_name(client, org, registrar):
    entry = org["entry"]
    client.force_login(org["secretary"])
    new_name = "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงรายใหม่"
    response = client.post(reverse("registry_duties:notice_add", args=[entry.pk]), {
        "kind": "name", "changed_on": "01/10/2569", "new_name": new_name, "details": "มติที่ประชุมใหญ่ 2/2569",
    })
    assert response.status_code == 302
    notice = ChangeNotice.objects.get()
    assert notice.changed_on == datetime.date(2026, 10, 1) and notice.filed_by == org["secretary"]
    client.force_login(registrar)
    assert client.post(reverse("registry_duties:notice", args=[notice.pk]), {"action": "accept"}).status_code == 302
    entry.refresh_from_db()
    assert entry.organization_name == new_name
    assert entry.history.first().history_user == registrar


def test_a_name_notice_without_the_new_name_is_refused_by_the_form(client, org):
    client.force_login(org["chair"])
    response = client.post(reverse("registry_duties:notice_add", args=[org["entry"].pk]), {
        "kind": "name", "changed_on": "01/10/2569", "new_name": "", "details": "x",
    })
    assert response.status_code == 200 and not ChangeNotice.objects.exists()


# --- Permissions, checked on the server ----------------------------------------------------------


def test_permissions_of_every_screen(client, org, other_org, registrar, officer):
    entry = org["entry"]
    report = file_march(org)
    urls = {
        "organization": reverse("registry_duties:organization", args=[entry.pk]),
        "report_add": reverse("registry_duties:report_add", args=[entry.pk]),
        "notice_add": reverse("registry_duties:notice_add", args=[entry.pk]),
        "report": reverse("registry_duties:report", args=[report.pk]),
        "queue": reverse("registry_duties:queue"),
        "overdue": reverse("registry_duties:overdue"),
    }
    officer_11 = make_provincial_officer("officer11", "11", admin_access=True)
    expected = {
        # who: the screens they may open (the others answer 403)
        org["chair"]: {"organization", "report_add", "notice_add", "report"},
        org["member"]: {"organization", "report"},
        other_org["chair"]: set(),
        officer: {"organization", "report", "overdue"},
        officer_11: {"overdue"},
        registrar: {"organization", "report", "queue", "overdue"},
    }
    for user, allowed in expected.items():
        client.force_login(user)
        for name, url in urls.items():
            status = client.get(url).status_code
            assert status == (200 if name in allowed else 403), (user.username, name, status)
    # Only a registrar decides: the chair, the officer and the other committee get 403 and nothing changes.
    for user in (org["chair"], officer, other_org["chair"]):
        client.force_login(user)
        assert client.post(urls["report"], {"action": "accept"}).status_code == 403
    # Writing through the form is refused to a plain member and another network's chair.
    for user in (org["member"], other_org["chair"]):
        client.force_login(user)
        assert client.post(urls["report_add"], report_post(SEPTEMBER)).status_code == 403
    report.refresh_from_db()
    assert report.status == FilingStatus.FILED and HalfYearReport.objects.count() == 1


# --- Overdue organizations ------------------------------------------------------------------------


def test_overdue_organizations_for_the_registrar_and_the_officer_of_their_province(client, org, other_org, registrar, officer):
    entries, periods = duties.overdue_entries()
    assert periods[:2] == [SEPTEMBER, MARCH]  # the half-years of the last two years past their 30 days
    assert {e.pk for e in entries} == {org["entry"].pk, other_org["entry"].pk}
    client.force_login(officer)  # Chiang Rai's officer: Chiang Rai only
    html = client.get(reverse("registry_duties:overdue")).content.decode()
    assert org["entry"].organization_name in html and other_org["entry"].organization_name not in html
    client.force_login(registrar)
    html = client.get(reverse("registry_duties:overdue")).content.decode()
    assert org["entry"].organization_name in html and other_org["entry"].organization_name in html

    # Both reports filed: Chiang Rai is no longer late; a returned report counts as not filed.
    file_march(org)
    september = duties.file_report(org["entry"], org["chair"], period_end=SEPTEMBER, activities="x", members=1, money={})
    assert {e.pk for e in duties.overdue_entries()[0]} == {other_org["entry"].pk}
    duties.return_filing(september, registrar, "ไม่มีรายละเอียดกิจกรรม")
    assert {e.pk for e in duties.overdue_entries()[0]} == {org["entry"].pk, other_org["entry"].pk}


def test_a_rename_without_a_notice_is_overdue_after_30_days(org, registrar):
    # Both reports filed, so only the rename can make it late.
    file_march(org)
    duties.file_report(org["entry"], org["chair"], period_end=SEPTEMBER, activities="x", members=1, money={})
    network = org["network"]
    network.title = "เครือข่ายสวัสดิการชุมชนเชียงรายใหม่"
    network.save_revision().publish()
    assert not duties.overdue_entries()[0].exists()  # renamed today: 30 days to tell the registrar
    with time_machine.travel(TODAY + datetime.timedelta(days=31), tick=False):
        entries, periods = duties.overdue_entries()
        entry = entries.get()
        assert any("เชียงรายใหม่" in str(what) for what, _due in duties.describe_overdue(entry, periods))
        duties.file_notice(org["entry"], org["chair"], kind=NoticeKind.NAME, changed_on=timezone.localdate() - datetime.timedelta(days=31),
                           new_name=network.title, details="มติที่ประชุม")
        assert not duties.overdue_entries()[0].exists()


def test_the_queue_and_the_overdue_list_run_a_bounded_number_of_queries(
    client, home, registrar, today, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            org = registered_org(home, registrar, "57", f"เครือข่ายทดสอบ {i} {n}", f"q{n}_{i}")
            file_march(org)
            duties.file_notice(org["entry"], org["chair"], kind=NoticeKind.OFFICE, changed_on=datetime.date(2026, 10, 1), details="ที่ทำการใหม่")

    client.force_login(registrar)

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    few = {url: count(url) for url in (reverse("registry_duties:queue"), reverse("registry_duties:overdue"))}
    add(6)
    for url, queries in few.items():
        with django_assert_max_num_queries(queries):
            html = client.get(url).content.decode()
        assert "เครือข่ายทดสอบ 5 6" in html


# --- The public registry --------------------------------------------------------------------------


def test_the_public_registry_shows_reports_filed_and_accepted(client, org, other_org, registrar, django_assert_max_num_queries):
    march = file_march(org)
    duties.accept(march, registrar)
    september = duties.file_report(org["entry"], org["chair"], period_end=SEPTEMBER, activities="x", members=1, money={})
    returned = duties.file_report(other_org["entry"], other_org["chair"], period_end=MARCH, activities="x", members=1, money={})
    duties.return_filing(returned, registrar, "ขาดรายละเอียด")
    with django_assert_max_num_queries(12):
        html = client.get("/en/registry/").content.decode()
    row = html[html.index(org["entry"].registration_number):]
    row = row[: row.index("</tr>")]
    assert "half-year ending 31 March 2026: accepted" in row
    assert "half-year ending 30 September 2026: filed, waiting for the registrar" in row
    other = html[html.index(other_org["entry"].registration_number):]
    other = other[: other.index("</tr>")]
    assert "31 March 2026" not in other  # a returned report is not shown as filed
    # No personal data: neither who filed nor the figures.
    assert march.activities not in html and "cr_chair" not in html
    assert september.pk  # filed
    # The page cache follows a decision.
    duties.accept(september, registrar)
    assert "30 September 2026: accepted" in client.get("/en/registry/").content.decode()


# --- Reminders -----------------------------------------------------------------------------------


def test_the_half_year_reminder_is_not_sent_to_an_organization_that_filed(org, other_org):
    from registry.reminders import remind_registered_organizations

    window = datetime.datetime(2027, 4, 5, 9, 0, tzinfo=datetime.UTC)  # the half-year ending 31 March 2570 is due
    with time_machine.travel(window, tick=False):
        duties.file_report(org["entry"], org["chair"], period_end=datetime.date(2027, 3, 31), activities="x", members=1, money={})
        remind_registered_organizations()
    keys = set(SentReminder.objects.filter(kind="half_year_report").values_list("key", flat=True))
    assert keys == {f"half-year-report:{other_org['entry'].pk}:2027-03-31"}


def test_the_audit_log_words_a_notice_and_a_half_year_in_the_readers_language():
    """The log keeps the code and the ISO date; the history shows the kind's label and a B.E. date in
    Thai (no raw "name", no 2026-03-31 on a Thai screen)."""
    with translation.override("th"):
        assert worded_log_value("period_end", "2026-03-31") == "31 มีนาคม 2569"
        assert worded_log_value("kind", "name") == str(NoticeKind.NAME.label)
    with translation.override("en"):
        assert worded_log_value("period_end", "2026-03-31") == "31 March 2026"
        assert worded_log_value("kind", "dissolution") == "Dissolution"
    assert worded_log_value("period_end", "not a date") == "not a date"


def test_a_report_is_named_with_its_half_year_in_the_readers_era():
    report = HalfYearReport(entry=RegistryEntry(organization_name="กองทุนทดสอบ"), period_end=datetime.date(2026, 3, 31))
    with translation.override("th"):
        assert "31 มีนาคม 2569" in str(report) and "2026" not in str(report)
    with translation.override("en"):
        assert "31 March 2026" in str(report)
