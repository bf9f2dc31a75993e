"""Each document type created through the Wagtail admin's add form, as a committee member posts it,
and bad input rejected with a clear message and nothing saved."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents.models import Document
from wagtail.models import Page

from networks.models import NetworkPage
from pages import models as pages
from tests.factories import make_committee_member
from tests.pages.admin_forms import add_url, chapters, page_form


def thai_message(msgid):
    """The message as the admin shows it (the admin speaks Thai by default)."""
    with translation.override("th"):
        return html.escape(translation.gettext(msgid))


def charter_form(**overrides):
    fields = {
        "title": "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        "version_label": "พ.ศ. ๒๕๖๒",
        "preamble": "ที่ประชุมใหญ่จึงวางข้อบังคับไว้ดังต่อไปนี้",
        "chapters": chapters(
            ("บททั่วไป", ["ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่าย”", "ให้ใช้บังคับตั้งแต่วันถัดจากวันที่ที่ประชุมใหญ่มีมติ"]),
            ("วัตถุประสงค์", ["เพื่อหนุนเสริมการจัดสวัสดิการขององค์กรสมาชิก"]),
            ("สมาชิก", ["สมาชิกได้แก่กองทุนสวัสดิการชุมชนตำบล", "สมาชิกพ้นสภาพเมื่อลาออก", "มีสิทธิออกเสียงองค์กรละหนึ่งเสียง"]),
        ),
    }
    fields.update(overrides)
    return page_form(fields)


def activity(**overrides):
    values = {
        "title": "ติดตามสอบทานระบบบริหารจัดการกองทุน",
        "area": "data",
        "start_date": "2019-05-20",
        "end_date": "2019-06-15",
        "budget": "45000.00",
        "budget_source": "codi",
        "responsible_person": "ทีมติดตามระดับโซน",
        "status": "planned",
        "progress": "0",
    }
    values.update(overrides)
    return values


def action_plan_form(*activities):
    return page_form(
        {"title": "แผนปฏิบัติการ ปี 2562", "fiscal_year": "2562", "goals": "ข้อมูลกองทุนตรงกัน"},
        activities=list(activities),
    )


def minutes_form(meeting_number="1", attachments=(), **overrides):
    fields = {
        "title": "รายงานการประชุมคณะทำงาน ครั้งที่ 1/2562",
        "body_name": "คณะทำงานเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        "meeting_number": meeting_number,
        "meeting_date": "2019-05-14",
        "start_time": "09:30",
        "end_time": "15:30",
        "place": "ศูนย์คุ้มครองผู้บริโภคจังหวัดเชียงราย",
        "committee_size": "15",
        "recorder_name": "นางสาวพิมพ์ชนก ดวงแก้ว",
        "recorder_position": "เลขานุการ",
        "reviewer_name": "นายบุญเรือน คำมูล",
        "reviewer_position": "ประธาน",
    }
    fields.update(overrides)
    return page_form(
        fields,
        present_members=[
            {"name": "นายบุญเรือน คำมูล", "position": "ประธาน", "substitute_for": "", "is_committee_member": "on"},
            {"name": "นายประเสริฐ กันทะวงค์", "position": "ผู้แทนอำเภอแม่จัน", "substitute_for": "นายอินถา วงค์ชัย",
             "is_committee_member": "on"},
        ],
        absent_members=[{"name": "นางอำพร ศรีวิชัย", "position": "ผู้แทนอำเภอพญาเม็งราย", "reason": "ป่วย"}],
        other_attendees=[{"name": "นายวรวุฒิ ทองคำ", "position": "ผู้แทน พมจ.เชียงราย"}],
        agenda_items=[
            {"title": "ข้อมูลสามฐานไม่ตรงกัน", "summary": "กองเลขานุการรายงาน", "resolution": "ให้ทบทวนสถานะกองทุน",
             "votes_for": "", "votes_against": "", "votes_abstain": ""},
            {"title": "ยกร่างระเบียบข้อบังคับ", "summary": "อยู่ระหว่างยกร่าง", "resolution": "นำเข้าประชุมครั้งถัดไป",
             "votes_for": "12", "votes_against": "0", "votes_abstain": "1"},
        ],
        attachments=[{"document": str(doc.pk), "caption": caption} for doc, caption in attachments],
    )


def document_file(name, content=b"%PDF-1.4\n%demo\n"):
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def assert_nothing_saved(before):
    assert Page.objects.count() == before


# --- Charter -------------------------------------------------------------------------------------


def test_committee_member_creates_charter_draft_with_chapters_and_clauses(committee_client, chiang_rai,
                                                                           committee_member):
    response = committee_client.post(add_url("charterpage", chiang_rai), charter_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    charter = pages.CharterPage.objects.get()
    assert charter.get_parent().pk == chiang_rai.pk
    assert charter.network_id == chiang_rai.pk
    assert not charter.live and charter.owner == committee_member
    assert charter.slug == "charter"
    assert [(n, title, [c for c, _text in clauses]) for n, title, clauses in charter.numbered_chapters()] == [
        (1, "บททั่วไป", [1, 2]),
        (2, "วัตถุประสงค์", [3]),
        (3, "สมาชิก", [4, 5, 6]),
    ]
    assert "ข้อ 4 สมาชิกได้แก่กองทุนสวัสดิการชุมชนตำบล" in charter.body_text
    assert charter.latest_revision.user == committee_member


def test_second_charter_gets_its_own_slug(committee_client, chiang_rai):
    assert committee_client.post(add_url("charterpage", chiang_rai), charter_form()).status_code == 302
    assert committee_client.post(add_url("charterpage", chiang_rai), charter_form()).status_code == 302
    assert sorted(pages.CharterPage.objects.values_list("slug", flat=True)) == ["charter", "charter-2"]


def test_committee_member_cannot_add_to_another_network(client, chiang_rai, samut_prakan):
    outsider = make_committee_member(samut_prakan, "sp-member")
    client.force_login(outsider)
    before = Page.objects.count()

    response = client.post(add_url("charterpage", chiang_rai), charter_form())

    # Wagtail's answer to a forbidden admin action: back to the dashboard, with a message.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), response.url
    assert_nothing_saved(before)


# --- Action plan ---------------------------------------------------------------------------------


def test_committee_member_creates_action_plan_with_activities(committee_client, chiang_rai):
    response = committee_client.post(
        add_url("actionplanpage", chiang_rai),
        action_plan_form(
            activity(),
            activity(title="ประสานท้องถิ่นเรื่องระเบียบเงินสมทบ", area="local_government", start_date="2019-06-01",
                     end_date="2019-08-31", budget="3000", budget_source="members"),
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    plan = pages.ActionPlanPage.objects.get()
    assert plan.slug == "action-plan-2562" and plan.network_id == chiang_rai.pk and not plan.live
    monitoring, local = plan.activities.all()
    assert (monitoring.start_date, monitoring.end_date) == (datetime.date(2019, 5, 20), datetime.date(2019, 6, 15))
    assert local.budget == Decimal("3000.00")
    assert plan.total_budget() == Decimal("48000.00")


@pytest.mark.parametrize(
    "bad_activity, message",
    [
        (activity(start_date="2019-06-15", end_date="2019-05-20"), "The end date cannot be before the start date."),
        (activity(budget="-500"), "The budget cannot be negative."),
    ],
    ids=["end-before-start", "negative-budget"],
)
def test_bad_activity_is_rejected_and_nothing_saved(committee_client, chiang_rai, bad_activity, message):
    before = Page.objects.count()

    response = committee_client.post(add_url("actionplanpage", chiang_rai), action_plan_form(activity(), bad_activity))

    assert response.status_code == 200
    assert thai_message(message) in response.content.decode()
    assert_nothing_saved(before)
    assert not pages.ActionPlanActivity.objects.exists()


# --- Meeting minutes -----------------------------------------------------------------------------


def test_committee_member_creates_minutes_with_attendees_agenda_and_attachment(committee_client, chiang_rai):
    pdf = document_file("attendance.pdf")

    response = committee_client.post(
        add_url("meetingminutespage", chiang_rai),
        minutes_form(attachments=[(pdf, "รายชื่อผู้เข้าประชุม")]),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    minutes = pages.MeetingMinutesPage.objects.get()
    assert minutes.number_label == "1/2562" and minutes.slug == "minutes-1-2562"
    assert minutes.network_id == chiang_rai.pk and not minutes.live
    present = list(minutes.present_members.all())
    assert [m.substitute_for for m in present] == ["", "นายอินถา วงค์ชัย"]
    assert [a.reason for a in minutes.absent_members.all()] == ["ป่วย"]
    assert minutes.other_attendees.count() == 1
    agenda = list(minutes.agenda_items.all())
    assert [(item.number, item.title) for item in agenda] == [(1, "ข้อมูลสามฐานไม่ตรงกัน"), (2, "ยกร่างระเบียบข้อบังคับ")]
    assert agenda[1].votes_for == 12
    assert [(a.document_id, a.caption) for a in minutes.attachments.all()] == [(pdf.pk, "รายชื่อผู้เข้าประชุม")]


def test_duplicate_meeting_number_in_the_same_year_is_rejected(committee_client, chiang_rai):
    assert committee_client.post(add_url("meetingminutespage", chiang_rai), minutes_form()).status_code == 302
    before = Page.objects.count()

    response = committee_client.post(
        add_url("meetingminutespage", chiang_rai), minutes_form(meeting_date="2019-11-02", title="ซ้ำ")
    )

    assert response.status_code == 200
    with translation.override("th"):
        expected = html.escape(
            translation.gettext("Meeting %(number)s/%(year)s of this network already exists.")
            % {"number": 1, "year": 2562}
        )
    assert expected in response.content.decode()
    assert_nothing_saved(before)
    assert pages.PresentMember.objects.count() == 2 and pages.AgendaItem.objects.count() == 2


def test_same_meeting_number_next_year_is_accepted(committee_client, chiang_rai):
    assert committee_client.post(add_url("meetingminutespage", chiang_rai), minutes_form()).status_code == 302
    response = committee_client.post(
        add_url("meetingminutespage", chiang_rai), minutes_form(meeting_date="2020-01-20")
    )
    assert response.status_code == 302
    assert sorted(m.number_label for m in pages.MeetingMinutesPage.objects.all()) == ["1/2562", "1/2563"]


def test_non_pdf_attachment_is_rejected_and_nothing_saved(committee_client, chiang_rai):
    word_file = document_file("minutes.docx", b"PK\x03\x04 not a pdf")
    before = Page.objects.count()

    response = committee_client.post(
        add_url("meetingminutespage", chiang_rai), minutes_form(attachments=[(word_file, "ไฟล์ Word")])
    )

    assert response.status_code == 200
    assert thai_message("Attachments must be PDF files or images (PNG, JPG).") in response.content.decode()
    assert_nothing_saved(before)
    assert not pages.MinutesAttachment.objects.exists() and not pages.PresentMember.objects.exists()


def test_meeting_ending_before_it_starts_is_rejected(committee_client, chiang_rai):
    before = Page.objects.count()
    response = committee_client.post(
        add_url("meetingminutespage", chiang_rai), minutes_form(start_time="15:00", end_time="09:00")
    )
    assert response.status_code == 200
    assert thai_message("The meeting cannot end before it starts.") in response.content.decode()
    assert_nothing_saved(before)


# --- What the forms show -------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", ["charterpage", "actionplanpage", "meetingminutespage"])
def test_document_forms_show_no_slug_seo_or_scheduling(committee_client, chiang_rai, model_name):
    response = committee_client.get(add_url(model_name, chiang_rai))

    assert response.status_code == 200
    content = response.content.decode()
    for field in ("slug", "seo_title", "search_description", "show_in_menus", "go_live_at", "expire_at"):
        assert f'name="{field}"' not in content, field
    assert 'name="title"' in content


def test_network_edit_form_keeps_level_and_code_fixed(admin_client, chiang_rai):
    district = chiang_rai.get_children().specific().first()
    data = page_form(
        {
            "title": district.title, "name_en": district.name_en, "level": "tambon", "area_code": "9999",
            "office_address": "ที่ว่าการอำเภอ", "welfare_started_on": "", "member_organization_count": "12",
            "member_count": "0",
        },
        comments=False,
    )

    response = admin_client.post(f"/admin/pages/{district.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    revision = NetworkPage.objects.get(pk=district.pk).get_latest_revision_as_object()
    assert (revision.level, revision.area_code) == ("district", district.area_code)
    assert revision.member_organization_count == 12
