"""An attachment of unpublished minutes is not served to the public; once the minutes are published it is."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from networks.models import NetworkPage
from pages.models import MeetingMinutesPage, MinutesAttachment
from people.models import CommitteeMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes_with_attachment(home):
    network = home.add_child(instance=NetworkPage(title="เครือข่ายทดสอบ", level="national"))
    minutes = network.add_child(instance=MeetingMinutesPage(
        title="รายงานการประชุม ครั้งที่ 1", body_name="คณะกรรมการ", meeting_number=1,
        meeting_date=datetime.date(2026, 3, 1), place="ศาลาประชาคม", live=False,
    ))
    document = Document.objects.create(title="ใบลงชื่อ", file=ContentFile(b"%PDF-1.4 test", name="sign-in.pdf"))
    MinutesAttachment.objects.create(page=minutes, document=document)
    return minutes, document


def test_public_cannot_fetch_an_unpublished_minutes_attachment(client, minutes_with_attachment):
    minutes, document = minutes_with_attachment
    assert client.get(document.url).status_code == 404
    minutes.save_revision().publish()
    assert client.get(document.url).status_code == 200


def test_only_the_networks_people_can_fetch_it_before_publication(client, minutes_with_attachment, django_user_model):
    """Admin access is not enough (issue 9): the committee of the minutes' own network may, and the
    others named in tests/hardening/test_scope.py."""
    minutes, document = minutes_with_attachment
    user = django_user_model.objects.create_user("drafter", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(document.url).status_code == 404  # signed in with admin access, but not on its committee
    CommitteeMembership.objects.create(user=user, network_id=minutes.network_id, role="member")
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(document.url).status_code == 200


def test_documents_not_attached_to_minutes_are_unaffected(client):
    document = Document.objects.create(title="ประกาศ", file=ContentFile(b"%PDF-1.4 x", name="notice.pdf"))
    assert client.get(document.url).status_code == 200


def test_a_file_added_in_a_later_draft_stays_private_until_published(client, minutes_with_attachment, django_user_model):
    """The minutes are live; a later draft adds a file. The page's rows still show the live version, so
    the file has no MinutesAttachment row: it is private like the draft that carries it (issue 9)."""
    minutes, _first = minutes_with_attachment
    minutes.save_revision().publish()
    minutes = MeetingMinutesPage.objects.get(pk=minutes.pk)
    added = Document.objects.create(title="ภาพถ่าย", file=ContentFile(b"%PDF-1.4 draft", name="photo.pdf"))
    minutes.attachments.add(MinutesAttachment(document=added))
    minutes.save_revision()  # a draft: the live version and its rows are unchanged
    assert not MinutesAttachment.objects.filter(document=added).exists()
    assert client.get(added.url).status_code == 404
    member = django_user_model.objects.create_user("member", password="pw")
    CommitteeMembership.objects.create(user=member, network_id=minutes.network_id, role="member")
    client.force_login(member)
    assert client.get(added.url).status_code == 200
    client.logout()
    MeetingMinutesPage.objects.get(pk=minutes.pk).get_latest_revision().publish()
    assert client.get(added.url).status_code == 200
