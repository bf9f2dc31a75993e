"""Issue 13: the dates Wagtail itself shows in the admin read in the Buddhist Era on Thai screens (and stay
in the Christian Era on English ones): the locked pages report, the reports' "Download CSV / XLSX", the
reports' date filters and the page's publishing schedule (go-live / expiry), which is also typed in B.E.
The last tests guard the Wagtail internals core/wagtail_compat.py relies on for this."""

import csv
import datetime
import html
import io
import re

import openpyxl
import pytest
from django.utils import timezone, translation
from openpyxl.styles.numbers import is_date_format
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from core.report_exports import XLSX_BUDDHIST_DATE, XLSX_BUDDHIST_DATETIME
from core.widgets import DATETIME_HINT, BuddhistDateInput, BuddhistDateTimeInput
from tests.factories import make_committee_member
from tests.people.formdata import scrape_form

pytestmark = pytest.mark.django_db

# 09:30 in Bangkok (the admin's time zone) on 7 December 2026, 2569 B.E.
LOCKED_AT = datetime.datetime(2026, 12, 7, 2, 30, tzinfo=datetime.UTC)
THAI_MOMENT = "7 ธ.ค. 2569 09:30 น."
ENGLISH_MOMENT = "7 Dec 2026 09:30"
LOCKED_REPORT = "/admin/reports/locked/"
SITE_HISTORY = "/admin/reports/site-history/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin_client(client, django_user_model, language):
    """The test client logged in as an editor who may see every report, speaking `language`."""
    user = django_user_model.objects.create_superuser(f"editor-{language}", f"{language}@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client, user


@pytest.fixture
def locked(wiang, django_user_model):
    locker = django_user_model.objects.create_user("locker", password="pw")
    wiang.locked, wiang.locked_at, wiang.locked_by = True, LOCKED_AT, locker
    wiang.save(update_fields=["locked", "locked_at", "locked_by"])
    PageLogEntry.objects.log_action(wiang, "wagtail.lock", user=locker, timestamp=LOCKED_AT)
    return wiang


@pytest.fixture(params=["th", "en"])
def language(request):
    return request.param


def christian_year_message(year):
    """core.widgets' message for a Christian-era year, as a Thai screen shows it (HTML-escaped)."""
    with translation.override("th"):
        message = translation.gettext(
            "The year must be in the Buddhist Era: for %(year)s C.E. write %(buddhist_year)s."
        )
    return html.escape(message % {"year": year, "buddhist_year": year + 543})


def moment_in(language):
    return THAI_MOMENT if language == "th" else ENGLISH_MOMENT


# --- The locked pages report --------------------------------------------------------------------


def test_locked_pages_report_shows_the_lock_date_in_the_readers_era(
    client, django_user_model, locked, language
):
    client, _user = admin_client(client, django_user_model, language)

    content = client.get(LOCKED_REPORT).content.decode()

    assert locked.title in content
    assert f"<b>{moment_in(language)}</b>" in content
    # Not Django's DATETIME_FORMAT, in either era ("7 ธันวาคม 2026 09:30", "Dec. 7, 2026, 9:30 a.m.").
    assert "ธันวาคม 2026" not in content and "Dec. 7, 2026" not in content


def test_the_editor_of_a_locked_page_says_when_it_was_locked_in_the_readers_era(client, locked, language):
    # A committee member of the locked network, who edits it (and may not see the reports).
    member = make_committee_member(locked, f"member-{language}")
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
    client.force_login(member)

    content = client.get(edit_url(locked)).content.decode()

    # Wagtail's lock notice ("... was locked by locker on <date>"), worded by wagtail.locks.
    assert f"<b>{moment_in(language)}</b>" in content


def test_the_dashboards_locked_pages_panel_says_when_in_the_buddhist_era(client, django_user_model, wiang):
    client, user = admin_client(client, django_user_model, "th")
    wiang.locked, wiang.locked_at, wiang.locked_by = True, LOCKED_AT, user
    wiang.save(update_fields=["locked", "locked_at", "locked_by"])

    content = client.get("/admin/").content.decode()

    # Wagtail's "Your locked pages" panel, through its human_readable_date (the project's copy).
    assert wiang.title in content and THAI_MOMENT in content


# --- Exports ------------------------------------------------------------------------------------


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response):
    assert response["Content-Type"] == XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows()]


LOCKED_AT_HEADING = {"th": "ล็อกเมื่อ", "en": "Locked at"}


def test_locked_pages_csv_carries_the_readers_era(client, django_user_model, locked, language):
    client, _user = admin_client(client, django_user_model, language)

    heading, *rows = csv_rows(client.get(LOCKED_REPORT, {"export": "csv"}))

    # Streamed after the view returned, the file is still in the reader's language.
    column = heading.index(LOCKED_AT_HEADING[language])
    assert [row[column] for row in rows if row[0] == locked.title] == [moment_in(language)]


def test_site_history_csv_carries_the_readers_era(client, django_user_model, locked, language):
    client, _user = admin_client(client, django_user_model, language)

    heading, *rows = csv_rows(client.get(SITE_HISTORY, {"export": "csv"}))

    # The lock's entry among the page's entries (its creation is logged at the time of the test).
    moments = [row[-1] for row in rows if row[1] == locked.title]
    assert moment_in(language) in moments
    assert not any(("2569" if language == "en" else "2026") in moment for moment in moments)


def locked_at_cell(client, django_user_model, locked, language):
    """The lock moment's cell of the locked page's row in the locked-pages XLSX, as a `language` reader
    downloads it."""
    client, _user = admin_client(client, django_user_model, language)
    heading, *rows = xlsx_rows(client.get(LOCKED_REPORT, {"export": "xlsx"}))
    row = next(row for row in rows if row[0].value == locked.title)
    cell = row[[h.value for h in heading].index(LOCKED_AT_HEADING[language])]
    # The moment as the reader's clock shows it, a date the spreadsheet sorts.
    assert cell.value == datetime.datetime(2026, 12, 7, 9, 30)
    assert cell.is_date
    return cell


def test_locked_pages_xlsx_has_a_real_date_cell_in_the_buddhist_calendar_for_thai(
    client, django_user_model, locked
):
    cell = locked_at_cell(client, django_user_model, locked, "th")
    assert cell.number_format == XLSX_BUDDHIST_DATETIME == "[$-107041E]d mmm yyyy hh:mm"
    assert is_date_format(cell.number_format)


def test_locked_pages_xlsx_keeps_wagtails_christian_format_for_english(client, django_user_model, locked):
    cell = locked_at_cell(client, django_user_model, locked, "en")
    assert "107041E" not in cell.number_format


def test_site_history_xlsx_in_the_buddhist_calendar_for_thai(client, django_user_model, locked):
    client, _user = admin_client(client, django_user_model, "th")

    heading, *rows = xlsx_rows(client.get(SITE_HISTORY, {"export": "xlsx"}))

    cells = [row[-1] for row in rows if row[1].value == locked.title]
    assert datetime.datetime(2026, 12, 7, 9, 30) in [cell.value for cell in cells]
    assert {cell.number_format for cell in cells} == {XLSX_BUDDHIST_DATETIME}


def test_a_plain_date_cell_gets_the_buddhist_date_format():
    from core import report_exports

    with translation.override("th"):
        assert report_exports.xlsx_number_format(datetime.date(2026, 12, 7)) == XLSX_BUDDHIST_DATE
        assert report_exports.csv_text(datetime.date(2026, 12, 7)) == "7 ธ.ค. 2569"
    with translation.override("en"):
        assert report_exports.xlsx_number_format(datetime.date(2026, 12, 7)) is None


# --- The reports' date filters ------------------------------------------------------------------


def test_locked_report_filters_by_buddhist_dates(client, django_user_model, locked):
    client, _user = admin_client(client, django_user_model, "th")

    inside = client.get(LOCKED_REPORT, {"locked_at_from": "01/12/2569", "locked_at_to": "07/12/2569"})
    outside = client.get(LOCKED_REPORT, {"locked_at_from": "01/12/2568", "locked_at_to": "31/12/2568"})

    assert f"<b>{THAI_MOMENT}</b>" in inside.content.decode()
    assert f"<b>{THAI_MOMENT}</b>" not in outside.content.decode()
    # Shown back as typed, and named in B.E. in the active filter.
    assert 'value="01/12/2569"' in inside.content.decode()
    assert "1 ธันวาคม 2569" in inside.content.decode()


def test_a_christian_year_in_a_report_filter_is_refused_with_the_thai_message(
    client, django_user_model, locked
):
    client, _user = admin_client(client, django_user_model, "th")

    response = client.get(LOCKED_REPORT, {"locked_at_from": "01/12/2026"})

    assert response.status_code == 200
    assert christian_year_message(2026) in response.content.decode()


# --- The publishing schedule (go-live / expiry) -------------------------------------------------


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def test_go_live_typed_in_buddhist_era_is_stored_in_christian_era_and_shown_back(
    client, django_user_model, home
):
    client, _user = admin_client(client, django_user_model, "th")
    form = scrape_form(client.get(edit_url(home)).content.decode(), "page-edit-form")
    assert "go_live_at" in form

    response = client.post(edit_url(home), {**form, "go_live_at": "14/05/2570 09:30", "expire_at": ""})

    assert response.status_code == 302, response.content.decode()[:2000]
    home.refresh_from_db()
    assert home.latest_revision.content["go_live_at"] == "2027-05-14T02:30:00Z"
    draft = home.get_latest_revision_as_object()
    assert draft.go_live_at == datetime.datetime(2027, 5, 14, 2, 30, tzinfo=datetime.UTC)
    shown = client.get(edit_url(home)).content.decode()
    assert 'name="go_live_at"' in shown and 'value="14/05/2570 09:30"' in shown
    # The status side panel's "Once scheduled: Go-live: ..." in B.E. too.
    assert "14 พ.ค. 2570 09:30 น." in shown
    assert "2027" not in shown


def test_go_live_in_christian_era_is_refused_with_a_message_and_nothing_changes(
    client, django_user_model, home
):
    client, _user = admin_client(client, django_user_model, "th")
    form = scrape_form(client.get(edit_url(home)).content.decode(), "page-edit-form")
    revisions = home.revisions.count()

    response = client.post(edit_url(home), {**form, "go_live_at": "14/05/2027 09:30"})

    assert response.status_code == 200
    assert christian_year_message(2027) in response.content.decode()
    assert home.revisions.count() == revisions
    home.refresh_from_db()
    assert home.go_live_at is None


def test_the_schedule_dialog_input_is_a_labelled_text_input_with_the_hint(client, django_user_model, home):
    client, _user = admin_client(client, django_user_model, "th")

    content = client.get(edit_url(home)).content.decode()

    dialog = content[content.index('id="schedule-publishing-dialog"') :]
    (tag,) = re.findall(r'<input[^>]*name="go_live_at"[^>]*>', dialog)
    # A plain text input a keyboard fills in, labelled, its hint in the placeholder and in the help text.
    assert 'type="text"' in tag and 'id="id_go_live_at"' in tag
    assert 'for="id_go_live_at"' in dialog
    with translation.override("th"):
        assert f'placeholder="{html.escape(str(DATETIME_HINT))}"' in tag
    described_by = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    assert f'id="{described_by}"' in content
    # Wagtail's dialog still resets the input when closed, and no Christian-era picker is started.
    assert 'data-action="w-dialog:hidden-&gt;w-action#reset"' in tag
    assert 'data-csp-target="id_go_live_at"' not in content


# --- Guards: the Wagtail and django-filter internals core/wagtail_compat.py relies on ----------------


def test_guard_publishing_panel_children_take_the_buddhist_widget():
    panel = PublishingPanel()
    fields = {child.field_name: child for child in panel.children if isinstance(child, FieldPanel)}

    assert set(fields) == {"go_live_at", "expire_at"}
    for child in fields.values():
        assert isinstance(child.widget, BuddhistDateTimeInput)
        # Wagtail's dialog behaviour kept: the input resets when the dialog closes without saving.
        assert child.widget.attrs["data-action"] == "w-dialog:hidden->w-action#reset"
        assert child.widget.attrs["data-w-dialog-target"] == "notify"


def test_guard_date_range_filters_read_and_show_buddhist_dates():
    assert all(isinstance(widget, BuddhistDateInput) for widget in DateRangePickerWidget().widgets)
    filterset = LockedPagesReportFilterSet({"locked_at_from": "01/12/2569", "locked_at_to": "07/12/2569"})

    assert filterset.form.is_valid(), filterset.form.errors
    span = filterset.form.cleaned_data["locked_at"]
    assert timezone.localtime(span.start).date() == datetime.date(2026, 12, 1)
    assert timezone.localtime(span.stop).date() == datetime.date(2026, 12, 7)


def test_guard_spreadsheet_export_mixin_hooks_exist_as_relied_on():
    import inspect

    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert getattr(SpreadsheetExportMixin.stream_csv, "keeps_request_language", False)
    assert list(inspect.signature(SpreadsheetExportMixin.generate_xlsx_row).parameters) == [
        "self",
        "worksheet",
        "row_dict",
        "date_format",
    ]
    assert list(inspect.signature(SpreadsheetExportMixin.get_preprocess_function).parameters) == [
        "self",
        "field",
        "value",
        "export_format",
    ]


def test_guard_wagtails_notices_word_moments_with_the_projects_function():
    import importlib

    from core.wagtail_compat import RENDER_TIMESTAMP_MODULES

    with translation.override("th"):
        for name in RENDER_TIMESTAMP_MODULES:
            assert importlib.import_module(name).render_timestamp(LOCKED_AT) == THAI_MOMENT, name
    with translation.override("en"):
        assert importlib.import_module("wagtail.locks").render_timestamp(LOCKED_AT) == ENGLISH_MOMENT
