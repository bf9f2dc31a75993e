"""The bulk tree loader: the official counts, a correct treebeard tree, and nothing changed on a second run."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from networks.models import HomePage, NetworkLevel, NetworkPage
from networks.tree import TreeLoader


def level_counts():
    return {
        level: NetworkPage.objects.filter(level=level).count()
        for level in (NetworkLevel.NATIONAL, NetworkLevel.REGION, NetworkLevel.PROVINCE,
                      NetworkLevel.DISTRICT, NetworkLevel.TAMBON)
    }


def tree_snapshot():
    return list(Page.objects.order_by("path").values_list("id", "path", "depth", "numchild", "url_path", "slug"))


def test_whole_country_counts_and_idempotence(home):
    """The one test that loads the whole country: 77 provinces, 928 districts, 7,436 tambons.
    (Without the search index, which segments every Thai title and would triple the time; the
    province tests below load with it.)"""
    result = TreeLoader(search_index=False).load()

    expected = {"national": 1, "region": 5, "province": 77, "district": 928, "tambon": 7436}
    assert result.created == expected
    assert level_counts() == expected
    assert HomePage.objects.get().get_children().count() == 1
    snapshot = tree_snapshot()

    again = TreeLoader(search_index=False).load()

    assert again.total_created == 0
    assert tree_snapshot() == snapshot


def test_province_load_builds_a_valid_tree(home):
    call_command("load_network_tree", "--province", "57", stdout=open("/dev/null", "w"))

    assert level_counts() == {"national": 1, "region": 1, "province": 1, "district": 18, "tambon": 124}
    # treebeard's own consistency check: paths, depths and child counts agree.
    assert all(not problems for problems in Page.find_problems())
    province = NetworkPage.objects.get(area_code="57")
    assert province.title == "เครือข่ายสวัสดิการชุมชนจังหวัดเชียงราย"
    assert province.get_children().count() == 18
    tambon = NetworkPage.objects.get(area_code="570101")
    assert tambon.title == "กองทุนสวัสดิการชุมชนตำบลเวียง"
    assert tambon.get_parent().specific.area_code == "5701"
    assert tambon.province_code == "57" and tambon.live
    assert tambon.url_path == tambon.get_parent().url_path + tambon.slug + "/"
    # The networks are in the search index as they are loaded.
    found = NetworkPage.objects.live().search("เวียง")
    assert tambon.pk in [page.pk for page in found]


def test_province_load_is_idempotent_and_adds_other_provinces_beside(home):
    TreeLoader().load(["57"])
    snapshot = tree_snapshot()

    assert TreeLoader().load(["57"]).total_created == 0
    assert tree_snapshot() == snapshot

    result = TreeLoader().load(["11", "57"])

    # Samut Prakan (east and Bangkok area): a new region, 6 districts, 50 tambons; Chiang Rai untouched.
    assert result.created == {"region": 1, "province": 1, "district": 6, "tambon": 50}
    assert NetworkPage.objects.filter(level=NetworkLevel.NATIONAL).count() == 1
    assert all(not problems for problems in Page.find_problems())
    chiang_rai_path = NetworkPage.objects.get(area_code="57").path
    rows_now = {row[0]: row for row in tree_snapshot()}
    chiang_rai_rows = [row for row in snapshot if row[1].startswith(chiang_rai_path)]
    assert len(chiang_rai_rows) == 1 + 18 + 124
    assert all(rows_now[row[0]] == row for row in chiang_rai_rows)


def test_unknown_province_code_is_refused(home):
    with pytest.raises(CommandError):
        call_command("load_network_tree", "--province", "99")
    assert not NetworkPage.objects.exists()
