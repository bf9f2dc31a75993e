"""Small builders shared by the documents and outbox tests."""

import datetime

from django.contrib.auth.models import Group, Permission

from networks.models import NetworkPage
from pages.models import CharterPage, MeetingMinutesPage
from people.models import CommitteeMembership, RegistrarAssignment

LONG_AGO = datetime.date(2020, 1, 1)


def make_user(django_user_model, username, email=""):
    user = django_user_model.objects.create_user(username=username, password="pw", email=email)
    group, _ = Group.objects.get_or_create(name="documents-tests admin access")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def make_province_network(home, province_code="57", title="เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย"):
    national = NetworkPage.objects.filter(level="national").first()
    if national is None:
        national = home.add_child(instance=NetworkPage(title="เครือข่ายสวัสดิการชุมชนแห่งชาติ", level="national"))
    region = national.get_children().type(NetworkPage).first()
    if region is None:
        region = national.add_child(instance=NetworkPage(title="เครือข่ายภาคเหนือ", level="region"))
    network = region.specific.add_child(instance=NetworkPage(title=title, level="province", area_code=province_code))
    network.save_revision().publish()
    network.refresh_from_db()
    return network


def make_charter(network, clauses=("สมาชิกต้องมีภูมิลำเนาในตำบล", "คณะกรรมการมีวาระสองปี")):
    charter = network.add_child(
        instance=CharterPage(
            title=f"ข้อบังคับ{network.title}",
            version_label="พ.ศ. ๒๕๖๙",
            preamble="เพื่อให้การจัดสวัสดิการชุมชนเป็นไปด้วยความเรียบร้อย",
            chapters=[
                ("chapter", {"title": "บททั่วไป", "clauses": list(clauses[:1])}),
                ("chapter", {"title": "สมาชิก", "clauses": list(clauses[1:])}),
            ],
        )
    )
    charter.save_revision().publish()
    charter.refresh_from_db()
    return charter


def make_minutes(network, *, publish=True):
    page = MeetingMinutesPage(
        title="รายงานการประชุมคณะกรรมการ ครั้งที่ 1/2562",
        body_name="คณะกรรมการเครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย",
        meeting_number=1,
        meeting_date=datetime.date(2019, 5, 14),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        place="ห้องประชุมองค์การบริหารส่วนตำบลบ้านดู่",
        recorder_name="นางสาวอรทัย ใจดี",
        recorder_position="เลขานุการ",
        reviewer_name="นายสมชาย รักถิ่น",
        reviewer_position="ประธาน",
        live=publish,
    )
    from pages.models import AbsentMember, AgendaItem, PresentMember

    page.present_members = [
        PresentMember(name="นายสมชาย รักถิ่น", position="ประธาน"),
        PresentMember(name="นางสมศรี มีสุข", position="กรรมการ", substitute_for="นายมานพ ดีงาม"),
    ]
    page.absent_members = [AbsentMember(name="นายประเสริฐ ทองดี", position="กรรมการ", reason="ติดราชการ")]
    page.agenda_items = [
        AgendaItem(title="เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", summary="ประธานแจ้งกำหนดการประชุมใหญ่", resolution="รับทราบ"),
        AgendaItem(title="เรื่องเพื่อพิจารณา", summary="พิจารณาร่างข้อบังคับ", resolution="เห็นชอบร่างข้อบังคับ",
                   votes_for=12, votes_against=0, votes_abstain=1),
    ]
    network.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def make_registrar(django_user_model, username="registrar"):
    user = make_user(django_user_model, username, email=f"{username}@example.org")
    RegistrarAssignment.objects.create(user=user, office_name="สำนักงาน ก.ส.ค.", started_on=LONG_AGO)
    return user


def make_chair(django_user_model, network, username="chair"):
    user = make_user(django_user_model, username, email=f"{username}@example.org")
    CommitteeMembership.objects.create(user=user, network=network, role="chair", started_on=LONG_AGO)
    return user
