"""The public search's own index: one row per network / charter / action plan / minutes page.

Why not Wagtail's index table: its entries are keyed by a text `object_id`, so every search joined
the page table through a `page.id::varchar` cast, and its PostgreSQL query OR-ed two tsvectors,
which no index can serve. Here each page has one row keyed by its integer id, with what the public
search filters on (content type, live, province code) and one weighted text:

* PostgreSQL: a `searchable tsvector` column with a GIN index. The tsvector is written as a literal
  built here from thaisearch.analysis terms (title weight A, body B, area names D), and queries
  are tsquery literals, so the database's own parser never re-splits a term: exactly the
  analysis' terms are matched. A gap of one position separates title, body and area names so
  that no phrase runs across them (as in SQLite's columns). Each pair of neighbouring terms is
  stored too, as one lexeme "แผน ปฏิบัติ": a phrase is then looked up as its pairs
  (`'แผน ปฏิบัติ' & 'ปฏิบัติ การ'`), which the GIN index answers alone. A `<->` phrase query would
  make PostgreSQL re-read and decompress the whole tsvector of every candidate (tens of
  thousands for "แผนปฏิบัติการ"); pairs are exact for two words, and a phrase of three or more
  is checked with `<->` on the rows actually returned and counted, never on all of them.
  Ranking reads only the small `title_vector`: pages whose title holds the words first (the
  shorter title first), then documents, then networks (found through their area names), newest
  first within each; see NOTES.md for what this gives up.
* SQLite: an FTS5 table (title, body, areas; rowid = page id) with the Thai tokenizer of
  sqlite_fts.py; phrases are FTS5 phrases ("แผน ปฏิบัติ การ").

The rows are written by thaisearch.backend whenever Wagtail indexes a page (signals, the outbox's
index tasks, update_index, bulk loads), so they follow the same life as Wagtail's index.
"""

from django.db import connection
from wagtail.search.models import IndexEntry

from .models import SearchEntry

TABLE = SearchEntry._meta.db_table
FTS_TABLE = f"{TABLE}_fts"

# bm25 weights of the FTS5 columns (title, body, areas), the same order of importance.
SQLITE_WEIGHTS = (5.0, 1.0, 0.05)
# Counting stops here: "1,000+" is all a reader needs, and counting 50,000 matches is not free.
COUNT_CAP = 1000
PG_MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; larger ones are clamped
PG_MAX_POSITIONS_PER_LEXEME = 255
PG_MAX_LEXEME_BYTES = 2046


def page_models():
    """{model: kind} of the pages the public search finds."""
    # Not at the top: thaisearch.api imports this module at its top, so whichever of the two came first
    # would find the other half-made (a cycle inside the app, to go when api's list of kinds moves).
    from .api import _kinds

    return {model: kind for kind, (model, _label) in _kinds().items()}


# --- Writing -------------------------------------------------------------------------------------


def _quote_lexeme(term):
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns, pairs=True):
    """A tsvector literal of [(terms, weight letter), ...]: positions in order, one gap between
    columns; with `pairs`, each two neighbouring terms of a column as one more lexeme (no position)."""
    positions = {}
    position = 0
    for terms, weight in columns:
        if not terms:
            continue
        for term in terms:
            position += 1
            if len(term.encode()) > PG_MAX_LEXEME_BYTES:
                continue
            found = positions.setdefault(term, [])
            if len(found) < PG_MAX_POSITIONS_PER_LEXEME and position <= PG_MAX_POSITION:
                found.append(f"{position}{weight}")
        position += 1
    lexemes = [
        f"{_quote_lexeme(term)}:{','.join(found)}" if found else _quote_lexeme(term)
        for term, found in positions.items()
    ]
    if pairs:
        seen = set()
        for terms, _weight in columns:
            for pair in map(" ".join, zip(terms, terms[1:], strict=False)):
                if pair not in seen and len(pair.encode()) <= PG_MAX_LEXEME_BYTES:
                    seen.add(pair)
                    lexemes.append(_quote_lexeme(pair))
    return " ".join(lexemes)


def write(rows):
    """Insert or replace entries: rows of (page id, content type id, province code, live,
    title terms, body terms, area terms)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        values = []
        params = []
        for page_id, content_type_id, province_code, live, title, body, areas in rows:
            values.append("(%s, %s, %s, %s, %s::tsvector, %s::tsvector)")
            params += [page_id, content_type_id, province_code, live,
                       tsvector_literal([(title, "A"), (body, "B"), (areas, "D")]),
                       tsvector_literal([(title, "A")], pairs=False)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (page_id, content_type_id, province_code, live, searchable, title_vector) "  # noqa: S608
                f"VALUES {', '.join(values)} ON CONFLICT (page_id) DO UPDATE SET "
                "content_type_id = EXCLUDED.content_type_id, province_code = EXCLUDED.province_code, "
                "live = EXCLUDED.live, searchable = EXCLUDED.searchable, title_vector = EXCLUDED.title_vector",
                params,
            )
        return
    ids = [row[0] for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (page_id, content_type_id, province_code, live) "  # noqa: S608
            f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(rows))} ON CONFLICT (page_id) DO UPDATE SET "
            "content_type_id = excluded.content_type_id, province_code = excluded.province_code, "
            "live = excluded.live",
            [value for row in rows for value in row[:4]],
        )
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, areas) "  # noqa: S608
            f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(rows))}",
            [value for row in rows for value in (row[0], " ".join(row[4]), " ".join(row[5]), " ".join(row[6]))],
        )


def delete(page_ids):
    page_ids = list(page_ids)
    if not page_ids:
        return
    marks = ", ".join(["%s"] * len(page_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE page_id IN ({marks})", page_ids)  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", page_ids)  # noqa: S608


def reset():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608


def mark_unpublished(page_id):
    """Unpublishing takes a page out of the public search at once, even when its re-indexing is
    left to a worker."""
    SearchEntry.objects.filter(page_id=page_id, live=True).update(live=False)


def on_page_unpublished(sender, instance, **kwargs):
    # The page's re-indexing may wait for a worker (outbox); the public must not wait for it.
    mark_unpublished(instance.pk)


def on_pages_loaded_in_bulk(sender, **kwargs):
    analyze()


def analyze():
    """Fresh planner statistics after a bulk load (this PostgreSQL runs without autovacuum): without
    them a phrase is estimated at one row and the plan is chosen for it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")
        cursor.execute("ANALYZE wagtailcore_page")


# --- Reading -------------------------------------------------------------------------------------


def _quote_fts(term):
    return '"' + term.replace('"', '""') + '"'


class Match:
    """A query for the database in use.

    PostgreSQL: `lookup` (terms and word pairs, answered by the GIN index alone), `exact` (the
    `<->` phrases of three or more terms, to confirm the rows returned; None if there are none),
    `rank` (all terms, for the title's ts_rank). SQLite: `lookup` is the FTS5 query (phrases are
    FTS5 phrases, checked by FTS5 itself)."""

    def __init__(self, phrases, phrase_queries=True):
        if not phrase_queries:
            phrases = [[term] for phrase in phrases for term in phrase]
        self.exact = None
        if connection.vendor == "postgresql":
            lookup = []
            for phrase in phrases:
                pairs = [" ".join(pair) for pair in zip(phrase, phrase[1:], strict=False)]
                lookup += [_quote_lexeme(p) for p in pairs or phrase]
            self.lookup = " & ".join(dict.fromkeys(lookup))
            long_phrases = [phrase for phrase in phrases if len(phrase) > 2]
            if long_phrases:
                self.exact = " & ".join(
                    f"({' <-> '.join(_quote_lexeme(t) for t in phrase)})" for phrase in long_phrases
                )
            self.rank = " & ".join(dict.fromkeys(_quote_lexeme(t) for phrase in phrases for t in phrase))
        else:
            self.lookup = " AND ".join(_quote_fts(" ".join(phrase)) for phrase in phrases)


# The paths of the pages behind a view restriction (their subtrees are not public): few.
RESTRICTED_PATHS = (
    "SELECT DISTINCT p.path FROM wagtailcore_pageviewrestriction r JOIN wagtailcore_page p ON p.id = r.page_id"
)


def _where(content_type_ids, live_only, province_code, hidden_paths):
    sql, params = [], []
    if content_type_ids is not None:
        sql.append(f"e.content_type_id IN ({', '.join(['%s'] * len(content_type_ids))})")
        params += content_type_ids
    if live_only:
        sql.append("e.live")
    if live_only and hidden_paths:
        # Read fresh from the page tree (integer ids): a page moved under a restriction is hidden
        # at once.
        likes = " OR ".join(["path LIKE %s"] * len(hidden_paths))
        sql.append(f"e.page_id NOT IN (SELECT id FROM wagtailcore_page WHERE {likes})")
        params += [f"{path}%" for path in hidden_paths]
    if province_code:
        sql.append("e.province_code = %s")
        params.append(province_code)
    return "".join(f" AND {condition}" for condition in sql), params


def search_window(match, *, content_type_ids, network_type_id, live_only=True, province_code=None,
                  offset=0, limit=20, cap=COUNT_CAP):
    """([(page id, content type id), ...] best first, number of matches), in one statement (two
    when a phrase of three words or more must be confirmed). content_type_ids None = all kinds.
    The number is exact up to `cap`; above it, some number larger than `cap`."""
    if connection.vendor == "sqlite":
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        with connection.cursor() as cursor:
            cursor.execute(RESTRICTED_PATHS)
            hidden_paths = [row[0] for row in cursor.fetchall()]
            where, params = _where(content_type_ids, live_only, province_code, hidden_paths)
            # bm25() is computed in the inner query: FTS5 refuses it beside a window function.
            cursor.execute(
                "SELECT page_id, content_type_id, count(*) OVER () FROM (SELECT e.page_id, e.content_type_id, "  # noqa: S608
                f"bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} JOIN {TABLE} e "
                f"ON e.page_id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{where}) AS found "
                "ORDER BY score, page_id DESC LIMIT %s OFFSET %s",
                [match.lookup, *params, limit, offset],
            )
            rows = cursor.fetchall()
            if rows or not offset:
                return [row[:2] for row in rows], rows[0][2] if rows else 0
            return [], _count(cursor, f"{FTS_TABLE} JOIN {TABLE} e ON e.page_id = {FTS_TABLE}.rowid",
                              f"{FTS_TABLE} MATCH %s{where}", [match.lookup, *params], cap)

    # PostgreSQL. Ranked on the small columns: pages whose title holds the words (shorter title
    # first), then documents before networks (which match through their area names), newest first.
    order = "ts_rank(e.title_vector, CAST(%s AS tsquery), 1) DESC, e.content_type_id = %s, e.page_id DESC"
    with connection.cursor() as cursor:
        # The planner does not know that testing a row's tsvector means reading and decompressing
        # it (9 KB for a charter): on a common word it would scan the table and test every row,
        # where the GIN index answers without reading any tsvector. So sequential scans are off
        # for the search, and JIT too (the plan of 50,000 matches costs enough to trigger it:
        # 0.4 s of compiling for a 30 ms query). One statement sets both, remembers the previous
        # values and reads the restricted paths.
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
            "set_config('enable_seqscan', 'off', false), set_config('jit', 'off', false), "
            f"ARRAY({RESTRICTED_PATHS})"
        )
        seqscan, jit, _off, _jit_off, hidden_paths = cursor.fetchone()
        where, params = _where(content_type_ids, live_only, province_code, hidden_paths)
        condition = f"e.searchable @@ CAST(%s AS tsquery){where}"
        try:
            if match.exact is None:
                # The count is a capped subquery run once (a window over 58,000 matches cost
                # 20 ms more than stopping at cap + 1).
                cursor.execute(
                    f"SELECT e.page_id, e.content_type_id, (SELECT count(*) FROM (SELECT 1 FROM {TABLE} e "  # noqa: S608
                    f"WHERE {condition} LIMIT %s) AS found) FROM {TABLE} e "
                    f"WHERE {condition} ORDER BY {order} LIMIT %s OFFSET %s",
                    [match.lookup, *params, cap + 1, match.lookup, *params, match.rank, network_type_id,
                     limit, offset],
                )
                rows = cursor.fetchall()
                if rows or not offset:
                    return [row[:2] for row in rows], rows[0][2] if rows else 0
                return [], _count(cursor, f"{TABLE} e", condition, [match.lookup, *params], cap)
            # Sorted on the small columns first; the whole text is read (to confirm the phrase)
            # only for the rows that reach the page window, and for at most cap + 1 when counting.
            cursor.execute(
                f"SELECT page_id, content_type_id FROM (SELECT e.page_id, e.content_type_id, e.searchable "  # noqa: S608
                f"FROM {TABLE} e WHERE {condition} ORDER BY {order} OFFSET 0) AS ranked "
                "WHERE searchable @@ CAST(%s AS tsquery) LIMIT %s OFFSET %s",
                [match.lookup, *params, match.rank, network_type_id, match.exact, limit, offset],
            )
            rows = cursor.fetchall()
            if not offset and len(rows) < limit:
                return rows, len(rows)
            confirmed = f"{condition} AND e.searchable @@ CAST(%s AS tsquery)"
            return rows, _count(cursor, f"{TABLE} e", confirmed, [match.lookup, *params, match.exact], cap)
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, false), set_config('jit', %s, false)",
                           [seqscan, jit])


def _count(cursor, source, condition, params, cap):
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT %s) AS found",  # noqa: S608
        [*params, cap + 1],
    )
    return cursor.fetchone()[0]
