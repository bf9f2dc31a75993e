"""What the duties after registration change, and what the site sees by itself (issue 13, item 3):

- an accepted notice of dissolution dissolves the organization (admin, public registry, charter and
  network pages, downloads, API; no more filings, nothing overdue, no reminders); an accepted change of
  name renames it in the public registry; a returned notice changes nothing;
- a change of a registered organization's committee (people/) or of its office address (the network
  page, once published) makes a notice due within 30 days, shown with a button that opens the form with
  the kind chosen, listed overdue after 30 days, reminded once, and fulfilled by filing the notice."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from outbox.models import SentReminder
from people.models import CommitteeMembership
from registry import duties
from registry.models import ChangeNotice, FilingStatus, NoticeDue, RegistryStatus
from registry.reminders import remind_registered_organizations
from tests.factories import make_committee_member, make_user
from tests.registry import test_duties
from tests.registry.test_duties import SEPTEMBER, TODAY, file_march, registered_org
from workflows.my_documents import NetworkDocuments
from workflows.state import StateKind, document_state, word_state

pytestmark = pytest.mark.django_db

# The fixtures of test_duties.py, built once for this module too: the registrar and Chiang Rai's
# organization, and the day the tests run in.
_org_world, org, registrar, today = (
    test_duties._org_world, test_duties.org, test_duties.registrar, test_duties.today
)

DISSOLVED_ON = datetime.date(2026, 11, 1)


def file_and_decide(client, org, registrar, data, action="accept"):
    """The secretary files a notice through the admin; the registrar accepts or returns it there."""
    client.force_login(org["secretary"])
    response = client.post(reverse("registry_duties:notice_add", args=[org["entry"].pk]), {"details": "มติที่ประชุมใหญ่", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = ChangeNotice.objects.latest("pk")
    client.force_login(registrar)
    decision = {"action": "accept"} if action == "accept" else {"action": "return", "reason": "ขาดสำเนามติ"}
    assert client.post(reverse("registry_duties:notice", args=[notice.pk]), decision).status_code == 302
    notice.refresh_from_db()
    return notice


# --- Dissolution ---------------------------------------------------------------------------------


def test_an_accepted_dissolution_dissolves_the_organization_everywhere(client, org, registrar):
    entry = org["entry"]
    notice = file_and_decide(client, org, registrar, {"kind": "dissolution", "changed_on": "01/11/2569"})
    assert notice.status == FilingStatus.ACCEPTED
    entry.refresh_from_db()
    assert entry.status == RegistryStatus.DISSOLVED and entry.dissolved_on == DISSOLVED_ON
    record = entry.history.first()
    assert record.status == "dissolved" and record.history_user == registrar
    assert entry.history.all()[1].status == "registered"  # the standing registration stays in the history

    # The admin's registry listing and inspect view (in English for this registrar).
    profile = UserProfile.get_for_user(registrar)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(registrar)
    listing = client.get(reverse("registryentry:index")).content.decode()
    inspect = client.get(reverse("registryentry:inspect", args=[entry.pk])).content.decode()
    assert "Dissolved" in listing
    assert "This organization was dissolved on 1 November 2026" in inspect

    # The public registry, the network's page and the charter's page, in the Buddhist Era.
    client.logout()
    registry = client.get("/registry/").content.decode()
    row = registry[registry.index(entry.registration_number):]
    row = row[: row.index("</tr>")]
    assert "1 พฤศจิกายน 2569" in row and "(องค์กรสวัสดิการชุมชน)" not in row
    network_page = client.get(org["network"].url).content.decode()
    assert "1 พฤศจิกายน 2569" in network_page
    charter = entry.charter
    charter_page = client.get(charter.url).content.decode()
    assert "1 พฤศจิกายน 2569" in charter_page and "banner--revoked" in charter_page

    # The downloads and the API say so.
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("public:registry_csv")).content.decode("utf-8-sig"))))
    assert [(r["status"], r["dissolved_on"]) for r in rows] == [("dissolved", "2026-11-01")]
    rows = client.get(reverse("public:registry_json")).json()["results"]
    assert [(r["status"], r["dissolved_on"]) for r in rows] == [("dissolved", "2026-11-01")]
    api = client.get(reverse("public:api_registry_entry", args=[entry.registration_number])).json()
    assert api["status"] == "dissolved" and api["dissolved_on"] == "2026-11-01"

    # The charter's state, as the listings, the edit screen and the committee's "Documents of my network"
    # word it (workflows.state): dissolved, since the notice's date.
    state = document_state(charter)
    assert state.kind == StateKind.DISSOLVED and state.since == DISSOLVED_ON
    with translation.override("th"):
        assert word_state(state) == "ยุบเลิกแล้ว"
    with translation.override("en"):
        assert word_state(state) == "dissolved"
        rows = [
            row for section in NetworkDocuments(org["chair"]).sections() for row in section.rows
            if row.page.pk == charter.pk
        ]
        assert [(row.state.kind, row.state.label) for row in rows] == [(StateKind.DISSOLVED, "dissolved")]


def test_a_dissolved_organization_files_nothing_is_not_overdue_and_is_not_reminded(client, org, registrar):
    entry = org["entry"]
    with time_machine.travel(TODAY, tick=False):
        assert entry.pk in {e.pk for e in duties.overdue_entries()[0]}  # both half-years unreported
        file_and_decide(client, org, registrar, {"kind": "dissolution", "changed_on": "01/11/2569"})
        assert not duties.overdue_entries()[0].exists()

        client.force_login(org["chair"])
        page = client.get(reverse("registry_duties:organization", args=[entry.pk])).content.decode()
        ended = page.split("help-critical")[1].split("</div>")[0]
        assert "1 พฤศจิกายน 2569" in ended
        assert reverse("registry_duties:report_add", args=[entry.pk]) not in page
        assert "<strong>" not in page.split("periods-heading")[1].split("notices-heading")[0]  # nothing overdue
        assert client.post(reverse("registry_duties:report_add", args=[entry.pk]), {}).status_code == 403
        entry.refresh_from_db()
        with translation.override("en"), pytest.raises(ValidationError) as error:
            file_march({**org, "entry": entry})
        assert error.value.code == "dissolved"
        assert error.value.messages == ["This organization was dissolved on 1 November 2026: it files nothing more."]

    window = datetime.datetime(2027, 4, 5, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(window, tick=False):
        remind_registered_organizations()
    assert not SentReminder.objects.filter(key__contains=f":{entry.pk}:").exists()


def test_a_returned_dissolution_changes_nothing(client, org, registrar):
    notice = file_and_decide(client, org, registrar, {"kind": "dissolution", "changed_on": "01/11/2569"}, action="return")
    assert notice.status == FilingStatus.RETURNED
    org["entry"].refresh_from_db()
    assert org["entry"].status == RegistryStatus.REGISTERED and org["entry"].dissolved_on is None


def test_an_accepted_change_of_name_renames_the_organization_in_the_public_registry(client, org, registrar):
    old_name = org["entry"].organization_name
    new_name = "เครือข่ายสวัสดิการชุมชนคนเชียงราย"
    returned = file_and_decide(client, org, registrar, {"kind": "name", "changed_on": "01/10/2569", "new_name": new_name},
                               action="return")
    org["entry"].refresh_from_db()
    assert returned.status == FilingStatus.RETURNED and org["entry"].organization_name == old_name
    ChangeNotice.objects.all().delete()
    file_and_decide(client, org, registrar, {"kind": "name", "changed_on": "01/10/2569", "new_name": new_name})
    client.logout()
    registry = client.get("/registry/").content.decode()
    assert f"{new_name} (องค์กรสวัสดิการชุมชน)" in registry and old_name not in registry
    entry = org["entry"]
    entry.refresh_from_db()
    assert [record.organization_name for record in entry.history.all()[:2]] == [new_name, old_name]


# --- Changes the site sees by itself ---------------------------------------------------------------


def test_a_change_of_the_committee_makes_a_notice_due_that_filing_it_clears(client, org, registrar, officer):
    entry, network = org["entry"], org["network"]
    with time_machine.travel(TODAY, tick=False):
        # Filed both reports: only the committee can make the organization late.
        file_march(org)
        duties.file_report(entry, org["chair"], period_end=SEPTEMBER, activities="x", members=1, money={})
        assert not NoticeDue.objects.exists()  # the committee seated before the registration is no change
        membership = CommitteeMembership.objects.get(network=network, role="chair")
        membership.note = "คำสั่งแต่งตั้งที่ 1/2569"
        membership.save()
        assert not NoticeDue.objects.exists()  # a corrected note is not a change of the committee
        # The chair hands over on one day: one change of the committee.
        CommitteeMembership.objects.filter(pk=membership.pk).end()
        new_chair = make_committee_member(network, "new_chair", "chair")
    with time_machine.travel(TODAY + datetime.timedelta(days=2), tick=False):
        make_committee_member(network, "new_member", "member")
        assert sorted(NoticeDue.objects.values_list("kind", "changed_on")) == [
            ("committee", datetime.date(2026, 11, 20)), ("committee", datetime.date(2026, 11, 22)),
        ]
        # Another network's committee is not this organization's.
        make_committee_member(org["network"].get_parent().specific, "elsewhere", "member")
        assert NoticeDue.objects.count() == 2

        # The secretary sees both, each with a button that opens the form with the kind and the date.
        client.force_login(org["secretary"])
        page = client.get(reverse("registry_duties:organization", args=[entry.pk])).content.decode()
        button = f"{reverse('registry_duties:notice_add', args=[entry.pk])}?kind=committee&amp;changed_on=2026-11-22"
        assert button in page and "22 พฤศจิกายน 2569" in page
        form = client.get(button.replace("&amp;", "&")).content.decode()
        checked = [tag for tag in form.split("<input") if "checked" in tag]
        assert len(checked) == 1 and 'value="committee"' in checked[0]
        assert 'value="22/11/2569"' in form
        # Nothing overdue before 30 days have passed.
        assert not duties.overdue_entries()[0].exists()

    later = TODAY + datetime.timedelta(days=32)  # 30 days after the first change, not the second
    with time_machine.travel(later, tick=False):
        client.force_login(officer)
        overdue = client.get(reverse("registry_duties:overdue")).content.decode()
        assert entry.organization_name in overdue and "20 พฤศจิกายน 2569" in overdue
        assert "22 พฤศจิกายน 2569" not in overdue  # 30 days have not passed since the second change
        # Reminded once for each change, through the outbox's reminders.
        remind_registered_organizations()
        remind_registered_organizations()
        assert SentReminder.objects.filter(kind="notice_due").count() == 2

        # One notice dated on the later change fulfils both.
        client.force_login(new_chair)
        response = client.post(reverse("registry_duties:notice_add", args=[entry.pk]), {
            "kind": "committee", "changed_on": "22/11/2569", "details": "ประธานคนใหม่และกรรมการเพิ่มหนึ่งคน",
        })
        assert response.status_code == 302
        assert not duties.overdue_entries()[0].exists()
        assert not list(duties.open_notices_due([entry.pk]))
        # Returned, it no longer fulfils them; accepted, it does.
        notice = ChangeNotice.objects.get()
        duties.return_filing(notice, registrar, "ขาดรายชื่อกรรมการ")
        assert duties.overdue_entries()[0].get().pk == entry.pk
        duties.file_notice(entry, new_chair, kind="committee", changed_on=notice.changed_on, details="ครบแล้ว",
                           notice=notice)
        duties.accept(ChangeNotice.objects.get(), registrar)
        assert not duties.overdue_entries()[0].exists()


def test_the_notice_form_takes_only_a_known_kind_and_a_real_date_from_the_address(client, org):
    client.force_login(org["chair"])
    url = reverse("registry_duties:notice_add", args=[org["entry"].pk])
    form = client.get(f"{url}?kind=bogus&changed_on=2026-13-45").content.decode()
    assert not [tag for tag in form.split("<input") if "checked" in tag]
    form = client.get(f"{url}?kind=office&changed_on=2026-11-02").content.decode()
    checked = [tag for tag in form.split("<input") if "checked" in tag]
    assert len(checked) == 1 and 'value="office"' in checked[0] and 'value="02/11/2569"' in form


def test_removing_a_seated_member_is_a_change_and_one_day_is_one_notice(org):
    network = org["network"]
    with time_machine.travel(TODAY, tick=False):
        CommitteeMembership.objects.get(network=network, role="member").delete()
        CommitteeMembership.objects.get(network=network, role="secretary").delete()
        assert list(NoticeDue.objects.values_list("kind", "changed_on")) == [("committee", TODAY.date())]
    # The database refuses a second notice due of the same change.
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeDue.objects.create(entry=org["entry"], kind="committee", changed_on=TODAY.date())


def test_a_published_change_of_the_office_address_makes_a_notice_due(client, org):
    network = org["network"].specific
    with time_machine.travel(TODAY, tick=False):
        network.office_address = "ศาลาประชาคมหมู่ 3 ตำบลเวียง"
        network.save_revision()
        assert not NoticeDue.objects.exists()  # a draft is not the office yet
        network.get_latest_revision().publish()
        assert list(NoticeDue.objects.values_list("kind", "changed_on")) == [("office", TODAY.date())]
        client.force_login(org["chair"])
        page = client.get(reverse("registry_duties:organization", args=[org["entry"].pk])).content.decode()
        assert "?kind=office&amp;changed_on=2026-11-20" in page
        # Publishing again with the same address is no change.
        network.refresh_from_db()
        network.save_revision().publish()
        assert NoticeDue.objects.count() == 1


def test_no_notice_is_due_for_a_network_that_is_not_a_standing_organization(home, registrar):
    with time_machine.travel(TODAY, tick=False):
        from tests.factories import add_province

        network = add_province(home, "11", title="เครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ")
        make_committee_member(network, "sp_chair", "chair")
        CommitteeMembership.objects.create(user=make_user("sp_new"), network=network, role="member")
    assert not NoticeDue.objects.exists()


def test_the_overdue_list_with_notices_due_runs_a_bounded_number_of_queries(
    client, home, registrar, django_assert_max_num_queries
):
    def add(n):
        with time_machine.travel(TODAY, tick=False):
            for i in range(n):
                org = registered_org(home, registrar, "57", f"เครือข่ายกรรมการ {i} {n}", f"d{n}_{i}")
                make_committee_member(org["network"], f"d{n}_{i}_new", "member")

    later = TODAY + datetime.timedelta(days=40)
    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(later, tick=False):
        client.force_login(registrar)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("registry_duties:overdue")).status_code == 200
    add(5)
    with time_machine.travel(later, tick=False), django_assert_max_num_queries(len(queries)):
        html = client.get(reverse("registry_duties:overdue")).content.decode()
    assert "เครือข่ายกรรมการ 4 5" in html and html.count("20 พฤศจิกายน 2569") >= 7
