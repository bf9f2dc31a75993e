"""The demo's duties after registration (demo/duties.py): two Samut Prakan tambon funds registered
before the site; the first has one half-year report accepted and one waiting for the registrar, the
second is past its 30 days. The registrar's and the officer's queues and the public registry show them;
a second run changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from registry import duties
from registry.models import FilingStatus, HalfYearReport, NoticeDue, RegistryEntry
from tests.demo.conftest import load_demo

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_demo_reports_and_the_queues_that_show_them(demo, client):
    funds = list(RegistryEntry.objects.filter(network__level="tambon").order_by("network__area_code"))
    assert len(funds) == 2 and all(entry.network.province_code == "11" for entry in funds)
    reporting, late = funds
    assert list(reporting.half_year_reports.order_by("period_end").values_list("status", flat=True)) == [
        FilingStatus.ACCEPTED, FilingStatus.FILED,
    ]
    assert not late.half_year_reports.exists()
    assert not NoticeDue.objects.exists()  # the secretary sat on the committees before the registrations
    waiting = reporting.half_year_reports.get(status=FilingStatus.FILED)

    # The registrar: the waiting report in the queue, the late fund in the overdue list.
    client.force_login(user("registrar"))
    queue = client.get(reverse("registry_duties:queue")).content.decode()
    assert reverse("registry_duties:report", args=[waiting.pk]) in queue
    overdue = client.get(reverse("registry_duties:overdue")).content.decode()
    assert late.registration_number in overdue and reporting.registration_number not in overdue
    # Samut Prakan's officer sees the late fund too; Chiang Rai's does not.
    client.force_login(user("officer_11"))
    assert late.registration_number in client.get(reverse("registry_duties:overdue")).content.decode()
    client.force_login(user("officer_57"))
    assert late.registration_number not in client.get(reverse("registry_duties:overdue")).content.decode()
    # The secretary who files for the funds sees both on her list.
    client.force_login(user("sp_secretary"))
    index = client.get(reverse("registry_duties:index")).content.decode()
    assert reporting.organization_name in index and late.organization_name in index

    # The public registry: both reports of the first fund, with their status.
    client.logout()
    html = client.get("/en/registry/").content.decode()
    row = html[html.index(reporting.registration_number):]
    row = row[: row.index("</tr>")]
    assert row.count("half-year ending") == 2 and ": accepted" in row and "waiting for the registrar" in row
    assert {entry.pk for entry in duties.overdue_entries()[0]} == {late.pk}


def test_a_second_run_files_nothing_more(demo):
    before = list(HalfYearReport.objects.order_by("pk").values_list("pk", "status", "filed_at"))
    entries = list(RegistryEntry.objects.order_by("pk").values_list("pk", "registration_number"))
    load_demo("--force")
    assert list(HalfYearReport.objects.order_by("pk").values_list("pk", "status", "filed_at")) == before
    assert list(RegistryEntry.objects.order_by("pk").values_list("pk", "registration_number")) == entries
