"""The admin's date fields speak the Buddhist Era: posted as the admin's users type them, stored as dates,
shown back as 14/05/2562; a Christian-era year is refused with a message and nothing is saved."""

import datetime
import html

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from core.thaidate import BE_OFFSET
from core.widgets import BuddhistDateField, BuddhistDateInput
from networks.models import NetworkPage
from pages.models import ActionPlanPage, MeetingMinutesPage
from people.models import CommitteeMembership
from people.views import PeopleViewSetGroup
from registry.views import IssueAnnouncementForm, RegistryViewSetGroup, RevocationForm
from tests.pages.admin_forms import add_url, page_form

pytestmark = pytest.mark.django_db

CHRISTIAN_YEAR = "The year must be in the Buddhist Era: for %(year)s C.E. write %(buddhist_year)s."


def admin_message(msgid, **params):
    """The message as the admin shows it (in Thai, the admin's default language), HTML-escaped."""
    with translation.override("th"):
        return html.escape(translation.gettext(msgid) % params)


def activity(start_date, end_date):
    return {
        "title": "ติดตามสอบทานระบบบริหารจัดการกองทุน", "area": "data", "start_date": start_date, "end_date": end_date,
        "budget": "45000.00", "budget_source": "codi", "responsible_person": "ทีมติดตามระดับโซน",
        "status": "planned", "progress": "0",
    }


def action_plan_form(*activities):
    return page_form(
        {"title": "แผนปฏิบัติการ ปี 2562", "fiscal_year": "2562", "goals": "ข้อมูลกองทุนตรงกัน"},
        activities=list(activities),
    )


def minutes_form(meeting_date):
    return page_form(
        {
            "title": "รายงานการประชุมคณะกรรมการ ครั้งที่ 1/2562", "body_name": "คณะกรรมการกองทุน",
            "meeting_number": "1", "meeting_date": meeting_date, "start_time": "09:30", "end_time": "12:00",
            "place": "ศาลาประชาคม", "committee_size": "9", "recorder_name": "", "recorder_position": "",
            "reviewer_name": "", "reviewer_position": "",
        },
        present_members=[], absent_members=[], other_attendees=[], agenda_items=[], attachments=[],
    )


# --- Page editor: inline panel (action plan activities) -------------------------------------------


def test_action_plan_activities_take_buddhist_dates(committee_client, wiang):
    response = committee_client.post(
        add_url("actionplanpage", wiang),
        action_plan_form(activity("20/05/2562", "15 มิถุนายน 2562"), activity("2019-07-01", "31/08/2562")),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    plan = ActionPlanPage.objects.get()
    first, second = plan.activities.all()
    assert (first.start_date, first.end_date) == (datetime.date(2019, 5, 20), datetime.date(2019, 6, 15))
    assert (second.start_date, second.end_date) == (datetime.date(2019, 7, 1), datetime.date(2019, 8, 31))

    # The editor shows the stored dates back in the Buddhist Era, in both admin languages.
    edit = committee_client.get(reverse("wagtailadmin_pages:edit", args=(plan.pk,)))
    page = edit.content.decode()
    assert 'value="20/05/2562"' in page and 'value="15/06/2562"' in page
    assert 'value="2019-05-20"' not in page
    assert 'inputmode="numeric"' in page


def test_christian_year_in_an_activity_is_refused_and_nothing_saved(committee_client, wiang):
    before = Page.objects.count()

    response = committee_client.post(
        add_url("actionplanpage", wiang), action_plan_form(activity("20/05/2019", "15/06/2562"))
    )

    assert response.status_code == 200
    assert admin_message(CHRISTIAN_YEAR, year=2019, buddhist_year=2562) in response.content.decode()
    assert "ปีต้องเป็นปีพุทธศักราช: ค.ศ. 2019 ให้กรอกเป็น 2562" in response.content.decode()
    # The text as typed is shown back to be corrected.
    assert 'value="20/05/2019"' in response.content.decode()
    assert Page.objects.count() == before
    assert not ActionPlanPage.objects.exists()


# --- Page editor: page fields (minutes, network) -------------------------------------------------


def test_minutes_meeting_date_in_the_buddhist_era_names_the_meeting(committee_client, wiang):
    response = committee_client.post(add_url("meetingminutespage", wiang), minutes_form("14/05/2562"))

    assert response.status_code == 302, response.content.decode()[:3000]
    minutes = MeetingMinutesPage.objects.get()
    assert minutes.meeting_date == datetime.date(2019, 5, 14)
    assert minutes.number_label == "1/2562"


def test_impossible_meeting_date_is_refused(committee_client, wiang):
    response = committee_client.post(add_url("meetingminutespage", wiang), minutes_form("30/02/2562"))

    assert response.status_code == 200
    assert admin_message("There is no such date: check the day and the month.") in response.content.decode()
    assert not MeetingMinutesPage.objects.exists()


def test_network_welfare_start_in_the_buddhist_era(superuser_client, wiang):
    edit_url = reverse("wagtailadmin_pages:edit", args=(wiang.pk,))
    data = {
        "title": wiang.title, "name_en": "", "office_address": "", "welfare_started_on": "01/10/2548",
        "member_organization_count": "1", "member_count": "120", "quorum_percent": "",
    }

    response = superuser_client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    wiang = NetworkPage.objects.get(pk=wiang.pk).get_latest_revision_as_object()
    assert wiang.welfare_started_on == datetime.date(2005, 10, 1)
    assert 'value="01/10/2548"' in superuser_client.get(edit_url).content.decode()


# --- People (ModelViewSet forms) -----------------------------------------------------------------


def test_committee_membership_takes_a_buddhist_start_date(superuser_client, wiang, django_user_model):
    newcomer = django_user_model.objects.create_user(username="newcomer", password="pw-newcomer")

    response = superuser_client.post(reverse("committee_memberships:add"), {
        "user": newcomer.pk, "network": wiang.pk, "role": "member",
        "started_on": "14/05/2562", "ended_on": "", "note": "มติที่ประชุมครั้งที่ 1/2562",
    })

    assert response.status_code == 302, response.content.decode()[:3000]
    membership = CommitteeMembership.objects.get(user=newcomer)
    assert membership.started_on == datetime.date(2019, 5, 14)
    edit = superuser_client.get(reverse("committee_memberships:edit", args=(membership.pk,)))
    assert 'value="14/05/2562"' in edit.content.decode()


def test_committee_membership_with_a_christian_year_is_refused(superuser_client, wiang, django_user_model):
    newcomer = django_user_model.objects.create_user(username="newcomer", password="pw-newcomer")

    response = superuser_client.post(reverse("committee_memberships:add"), {
        "user": newcomer.pk, "network": wiang.pk, "role": "member",
        "started_on": "14/05/2019", "ended_on": "", "note": "",
    })

    assert response.status_code == 200
    assert admin_message(CHRISTIAN_YEAR, year=2019, buddhist_year=2562) in response.content.decode()
    assert not CommitteeMembership.objects.filter(user=newcomer).exists()


def test_new_membership_form_offers_today_in_the_buddhist_era(superuser_client):
    today = timezone.localdate()
    page = superuser_client.get(reverse("committee_memberships:add")).content.decode()
    assert f'value="{today.day:02d}/{today.month:02d}/{today.year + BE_OFFSET}"' in page


# --- Every admin form with a date ----------------------------------------------------------------


def date_fields(form_class):
    """(form class, field name, field) of every date field of a form and of its inline formsets."""
    found = [(form_class, name, field) for name, field in form_class.base_fields.items()
             if isinstance(field, forms.DateField)]
    for formset in getattr(form_class, "formsets", {}).values():
        found += date_fields(formset.form)
    return found


def admin_form_classes():
    classes = [
        model.get_edit_handler().get_form_class() for model in (NetworkPage, ActionPlanPage, MeetingMinutesPage)
    ]
    for viewset in (*PeopleViewSetGroup.items, *RegistryViewSetGroup.items):
        classes.append(viewset.get_form_class(for_update=True))
    return [*classes, RevocationForm, IssueAnnouncementForm]


def test_every_admin_date_field_is_a_buddhist_date_field():
    found = [entry for form_class in admin_form_classes() for entry in date_fields(form_class)]
    names = {name for _form, name, _field in found}
    # The fields named in the models and forms, so a new date field cannot slip by with Wagtail's ISO input.
    assert {"welfare_started_on", "start_date", "end_date", "meeting_date", "started_on", "ended_on",
            "revoked_on", "issued_on"} <= names
    wrong = [(form.__name__, name) for form, name, field in found
             if not (isinstance(field, BuddhistDateField) and isinstance(field.widget, BuddhistDateInput))]
    assert wrong == []
