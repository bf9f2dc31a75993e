"""Where each kind of page may sit: networks by level, documents only under networks, leaves stay leaves."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from networks.models import HomePage, NetworkLevel, NetworkPage
from networks.rules import allowed_child_levels, validate_network_position
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from tests.pages.admin_forms import add_url, page_form

DOCUMENT_MODELS = [CharterPage, ActionPlanPage, MeetingMinutesPage]


def network(level, title="x"):
    return NetworkPage(title=title, level=level)


L = NetworkLevel  # short, for the tables of (level, parent level) below
ALLOWED = [(L.REGION, L.NATIONAL), (L.PROVINCE, L.REGION), (L.ZONE, L.PROVINCE), (L.DISTRICT, L.PROVINCE),
           (L.DISTRICT, L.ZONE), (L.TAMBON, L.DISTRICT), (L.TAMBON, L.ZONE)]
REFUSED = [(L.DISTRICT, L.DISTRICT), (L.DISTRICT, L.TAMBON), (L.DISTRICT, L.REGION), (L.TAMBON, L.PROVINCE),
           (L.TAMBON, L.TAMBON), (L.PROVINCE, L.PROVINCE), (L.ZONE, L.ZONE), (L.NATIONAL, L.REGION)]


@pytest.mark.parametrize("level, parent_level, allowed", [(*pair, True) for pair in ALLOWED]
                         + [(*pair, False) for pair in REFUSED])
def test_positions(level, parent_level, allowed):
    if allowed:
        validate_network_position(level, network(parent_level))
        return
    with pytest.raises(ValidationError) as excinfo:
        validate_network_position(level, network(parent_level, title="ต้นทาง"))
    assert "level" in excinfo.value.message_dict


def test_only_the_national_network_sits_under_the_home_page():
    validate_network_position(NetworkLevel.NATIONAL, HomePage(title="home"))
    with pytest.raises(ValidationError):
        validate_network_position(NetworkLevel.PROVINCE, HomePage(title="home"))


def test_child_levels_offered_under_each_level():
    assert allowed_child_levels(NetworkLevel.PROVINCE) == [NetworkLevel.ZONE, NetworkLevel.DISTRICT]
    assert allowed_child_levels(NetworkLevel.DISTRICT) == [NetworkLevel.TAMBON]
    assert allowed_child_levels(NetworkLevel.TAMBON) == []


def test_documents_only_under_networks_and_leaves_have_no_children(chiang_rai, home):
    for model in DOCUMENT_MODELS:
        assert model.can_create_at(chiang_rai)
        assert not model.can_create_at(home)
        assert not model.can_create_at(Page.get_first_root_node())
        assert model.subpage_types == [] and model.allowed_subpage_models() == []
    charter = CharterPage(title="ข้อบังคับ", version_label="ร่าง")
    chiang_rai.add_child(instance=charter)
    for model in [NetworkPage, *DOCUMENT_MODELS]:
        assert not model.can_create_at(charter)
    assert NetworkPage.can_create_at(chiang_rai) and NetworkPage.can_create_at(home)


def test_admin_refuses_a_page_under_a_document(admin_client, chiang_rai):
    charter = CharterPage(title="ข้อบังคับ", version_label="ร่าง")
    chiang_rai.add_child(instance=charter)
    before = Page.objects.count()

    response = admin_client.post(add_url("networkpage", charter), page_form({"title": "x", "level": "tambon"}))

    # Wagtail's answer to a forbidden admin action: back to the dashboard, with a message.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), response.url
    assert Page.objects.count() == before


def test_admin_offers_and_accepts_only_allowed_child_levels(admin_client, chiang_rai):
    district = NetworkPage.objects.child_of(chiang_rai).get(area_code="5701")
    before = Page.objects.count()

    form = admin_client.get(add_url("networkpage", district))
    assert form.context["form"].fields["level"].choices == [("tambon", NetworkLevel.TAMBON.label)]

    refused = admin_client.post(
        add_url("networkpage", district),
        page_form({"title": "เครือข่ายซ้อน", "name_en": "Nested", "level": "district", "area_code": "",
                   "office_address": "", "welfare_started_on": "", "member_organization_count": "0",
                   "member_count": "0"}, comments=False),
    )
    assert refused.status_code == 200
    assert Page.objects.count() == before

    zone = admin_client.post(
        add_url("networkpage", chiang_rai),
        page_form({"title": "เครือข่ายสวัสดิการชุมชนโซนเหนือ", "name_en": "North Zone", "level": "zone",
                   "area_code": "", "office_address": "", "welfare_started_on": "",
                   "member_organization_count": "4", "member_count": "0"}, comments=False),
    )
    assert zone.status_code == 302, zone.content.decode()[:3000]
    created = NetworkPage.objects.get(level=NetworkLevel.ZONE)
    assert created.slug == "north-zone" and created.province_code == "57"
    assert created.get_parent().pk == chiang_rai.pk
