"""thaisearch's own index (thaisearch.entries): one row per page, kept by Wagtail's indexing; a
publish touches that row only; unpublishing hides at once; phrases of three words are exact;
ranking; the capped count. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from networks.tree import TreeLoader
from tests.factories import add_plan
from tests.thaisearch.conftest import activity
from thaisearch import entries, search
from thaisearch.analysis import index_text
from thaisearch.models import SearchEntry


def pks(result):
    return [hit.page.pk for hit in result]


def fts_rowids():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {entries.FTS_TABLE}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def test_one_entry_per_searchable_page(corpus):
    pages = {page.pk for page in corpus.values()}
    assert set(SearchEntry.objects.values_list("page_id", flat=True)) == pages
    draft = SearchEntry.objects.get(page=corpus["draft_charter"])
    assert (draft.live, draft.province_code) == (False, "57")
    assert SearchEntry.objects.get(page=corpus["charter_50"]).province_code == "50"
    assert SearchEntry.objects.get(page=corpus["north"]).province_code == ""
    if connection.vendor == "sqlite":
        assert fts_rowids() == pages

    corpus["minutes_50"].delete()
    assert not SearchEntry.objects.filter(page_id=corpus["minutes_50"].pk).exists()
    if connection.vendor == "sqlite":
        assert corpus["minutes_50"].pk not in fts_rowids()
    assert search("การใช้จ่าย").total == 0


def index_queries(page):
    backend = get_search_backend()
    with CaptureQueriesContext(connection) as captured:
        backend.add(page.specific)
    return [query["sql"] for query in captured.captured_queries]


def test_indexing_one_page_touches_its_rows_only(corpus):
    """Publishing one page re-indexes it: a few statements, as many at 5 pages as at 25, and none
    over the whole index (upstream refreshed AVG(LENGTH(title)) over every entry on each save)."""
    before = index_queries(corpus["charter_57"])
    for n in range(20):
        add_plan(corpus["chiang_mai"], title=f"แผนงานที่ {n}", goals="ติดตามกองทุน", activities=[activity("อบรม")],
                 publish=True)
    after = index_queries(corpus["charter_57"])
    assert len(before) == len(after) <= 6
    assert not [sql for sql in after if "AVG(" in sql.upper() or "LENGTH(" in sql.upper()]
    # The same for a network and for minutes (related agenda items).
    assert len(index_queries(corpus["mae_sai"])) <= 6
    assert len(index_queries(corpus["minutes_5702"])) <= 7


def test_unpublishing_hides_at_once_even_when_reindexing_waits(corpus):
    # With a broker, re-indexing is an outbox task for a worker; the public must not wait for it.
    backend_class = type(get_search_backend())
    with mock.patch.object(backend_class, "add"):
        corpus["charter_50"].unpublish()
    assert corpus["charter_50"].pk not in pks(search("ค่ารักษาพยาบาล", limit=100))
    assert not SearchEntry.objects.get(page=corpus["charter_50"]).live


def test_a_phrase_of_three_words_is_exact(corpus):
    # The text holds the pairs แผน ปฏิบัติ and ปฏิบัติ การ, but never แผน ปฏิบัติ การ in a row.
    goals = "แผนปฏิบัติงานและการปฏิบัติการ"
    assert index_text(goals) == "แผน ปฏิบัติ งาน และ การ ปฏิบัติ การ"
    plan = add_plan(corpus["chiang_mai"], title="แผนทดลอง", goals=goals, publish=True)
    assert plan.pk not in pks(search("แผนปฏิบัติการ", limit=100))
    assert search("แผนปฏิบัติการ", limit=100).total == 1  # plan_57 only
    assert plan.pk in pks(search("แผนปฏิบัติ", limit=100))
    assert plan.pk in pks(search("ปฏิบัติการ", limit=100))
    # Two phrases, one of them long: both are needed.
    assert pks(search("แผนปฏิบัติการ เชียงราย")) == [corpus["plan_57"].pk]
    assert search("แผนปฏิบัติการ เชียงใหม่").total == 0


def test_a_document_holding_the_words_ranks_above_a_network_found_by_its_province(corpus):
    plan = add_plan(corpus["chiang_mai"], title="แผนศึกษาดูงาน", goals="พาคณะกรรมการไปศึกษาดูงานที่จังหวัดเชียงราย", publish=True)
    order = pks(search("เชียงราย", limit=100))
    assert order.index(plan.pk) < order.index(corpus["mae_sai"].pk)
    # The province's own network (the name in its title) comes before both.
    assert order.index(corpus["chiang_rai"].pk) < order.index(plan.pk)


def test_the_count_stops_at_the_cap(corpus, monkeypatch):
    monkeypatch.setattr(entries, "COUNT_CAP", 3)
    result = search("เครือข่าย", limit=2)
    assert (result.total, result.total_capped, len(result.hits), result.has_next) == (3, True, 2, True)
    small = search("ภูมิลำเนา")
    assert (small.total, small.total_capped) == (1, False)


def test_the_search_page_shows_a_capped_count(client, corpus, monkeypatch):
    monkeypatch.setattr(entries, "COUNT_CAP", 3)
    html = client.get("/search/", {"q": "เครือข่าย"}).content.decode()
    assert "3+" in html


def test_bulk_rebuilds_refresh_planner_statistics(corpus):
    with CaptureQueriesContext(connection) as captured:
        call_command("update_index", verbosity=0)
    analyzed = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert f"ANALYZE {entries.TABLE}" in analyzed
    else:
        assert analyzed == []
    assert search("บัญชีรายชื่อ").total == 1


def test_a_bulk_load_of_the_tree_refreshes_planner_statistics(home):
    with CaptureQueriesContext(connection) as captured:
        TreeLoader().load(["11"])
    analyzed = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert f"ANALYZE {entries.TABLE}" in analyzed  # thaisearch listens to pages_loaded_in_bulk
    else:
        assert analyzed == []


@pytest.mark.parametrize("query", ["'", "\\", "a'b", '"', "ข้อ'บังคับ"])
def test_quotes_in_a_query_are_plain_characters(corpus, query):
    search(query)  # no syntax error from the tsquery / FTS5 query built from it


def test_planner_settings_are_restored_after_a_search(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no planner settings to change")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        before = cursor.fetchone()
        assert search("แผนปฏิบัติการ").total and search("กองทุน").total
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        assert cursor.fetchone() == before == ("on", before[1])
