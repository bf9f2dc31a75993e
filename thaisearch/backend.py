"""Wagtail's database search backend, taught to read Thai.

Wagtail's database backend (django-modelsearch) picks SQLite FTS5 or PostgreSQL tsvector by the
database vendor. Both split words on spaces, so a run of Thai is one word to them. This backend
subclasses both:

* at index time every SearchField / AutocompleteField value becomes space-separated terms
  (`thaisearch.analysis.index_text`: dictionary segmentation plus compound splitting); networks
  and their documents also get the names of their province and district; a network's English
  name counts as title;
* at query time each plain-text query becomes phrases of the same terms, so a Thai word found
  inside a compound, or several words written together, match only when they sit side by side;
* on SQLite, results are ranked in one FTS query (title weighted) instead of one per match.

Options (WAGTAILSEARCH_BACKENDS entry): SPLIT_COMPOUNDS (default True) and PHRASE_QUERIES
(default True) exist so that bench/search_quality.py can measure what each step buys.
"""

import multiprocessing
import os
from functools import cache, cached_property

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Manager, TextField, prefetch_related_objects
from django.db.models.functions import Cast
from django.utils.encoding import force_str
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText
from wagtail.models import Page

from core.geography import area_names
from core.wagtail_compat import get_content_type_pk, sql_insert_compiler, sqlite_fts_ready

from . import entries
from .analysis import index_text, query_phrases

NO_MATCH = Not(MatchAll())


class Analyzer:
    def __init__(self, split_compounds=True, phrase_queries=True):
        self.split_compounds = split_compounds
        self.phrase_queries = phrase_queries
        # Wagtail's index entry and thaisearch's own entry are written from the same values in the
        # same batch: each text is segmented once (and, for big batches, ahead by `prepare`). Kept
        # across batches and backends (one is built per use): a page saved again repeats most texts.
        self._segmented = _segmented_texts[bool(split_compounds)]

    def index_text(self, text):
        try:
            return self._segmented[text]
        except KeyError:
            pass
        if len(self._segmented) >= SEGMENTED_CACHE_SIZE:
            self._segmented.clear()
        segmented = self._segmented[text] = index_text(text, split_compounds=self.split_compounds)
        return segmented

    def forget(self):
        """The batch is written: drop the texts kept once they pass SEGMENTED_CACHE_CHARS characters
        (a charter's text is kilobytes)."""
        # list() first: another thread may add a text meanwhile.
        if sum(map(len, list(self._segmented))) > SEGMENTED_CACHE_CHARS:
            self._segmented.clear()

    def prepare(self, texts):
        """Segment a batch's texts ahead, in worker processes when the batch is big (PyThaiNLP is
        pure Python: a bulk build is bound by it)."""
        missing = list({text for text in texts if text and text not in self._segmented})
        if len(missing) < PARALLEL_MIN_TEXTS:
            return
        pool = _segmenting_pool()
        if pool is None:
            return
        if len(self._segmented) + len(missing) >= SEGMENTED_CACHE_SIZE:
            self._segmented.clear()
        try:
            chunks = pool.map(_segment_texts, [(missing[i::PARALLEL_CHUNKS], self.split_compounds)
                                               for i in range(PARALLEL_CHUNKS)])
        finally:
            # Never left running: forked children hold copies of every open file of this process (the
            # database socket, a subprocess's pipes), so a pool kept alive would keep a test database
            # "in use" and a child process waiting for end-of-file for as long as it lives.
            pool.terminate()
            pool.join()
        for i, segmented in enumerate(chunks):
            self._segmented.update(zip(missing[i::PARALLEL_CHUNKS], segmented, strict=True))

    def terms(self, text):
        return self.index_text(text).split() if text else []

    def rewrite(self, query, autocomplete=False, negated=False):
        """The same query over segmented terms."""
        if isinstance(query, PlainText):
            phrases = query_phrases(query.query_string, split_compounds=self.split_compounds)
            if not phrases:
                return NO_MATCH
            if negated:
                # Wagtail's PostgreSQL backend cannot negate a phrase: exclude pages holding all
                # of the terms instead.
                return PlainText(" ".join(t for phrase in phrases for t in phrase), operator="and")
            if autocomplete:
                # The last term is a prefix. A half-typed Thai word segments badly ("เชียงร" gives
                # "เชียง" + "ร", while the index holds "เชียงราย"), so also try the last two terms
                # glued together as the prefix.
                terms = [term for phrase in phrases for term in phrase]
                segmented = PlainText(" ".join(terms), operator="and")
                if len(terms) < 2:
                    return segmented
                glued = PlainText(" ".join([*terms[:-2], terms[-2] + terms[-1]]), operator="and")
                return Or([segmented, glued])
            if self.phrase_queries:
                subqueries = [Phrase(" ".join(phrase)) for phrase in phrases]
            else:
                subqueries = [PlainText(" ".join(phrase), operator="and") for phrase in phrases]
            if len(subqueries) == 1:
                return subqueries[0]
            return And(subqueries) if query.operator.lower() == "and" else Or(subqueries)
        if isinstance(query, Phrase):
            terms = [t for phrase in query_phrases(query.query_string, self.split_compounds) for t in phrase]
            return Phrase(" ".join(terms)) if terms else NO_MATCH
        if isinstance(query, And):
            return And([self.rewrite(q, autocomplete, negated) for q in query.subqueries])
        if isinstance(query, Or):
            return Or([self.rewrite(q, autocomplete, negated) for q in query.subqueries])
        if isinstance(query, Not):
            return Not(self.rewrite(query.subquery, autocomplete, not negated))
        if isinstance(query, Boost):
            return Boost(self.rewrite(query.subquery, autocomplete, negated), query.boost)
        return query  # MatchAll, Fuzzy: nothing to segment


SEGMENTED_CACHE_SIZE = 10_000
SEGMENTED_CACHE_CHARS = 1_000_000
# {split_compounds: {text: its segmented text}}, shared by every Analyzer of the process.
_segmented_texts = {True: {}, False: {}}
PARALLEL_MIN_TEXTS = 200
PARALLEL_CHUNKS = 8
def _segment_texts(args):
    texts, split_compounds = args
    return [index_text(text, split_compounds=split_compounds) for text in texts]


def _segmenting_pool():
    """A new pool of worker processes for one batch's segmentation: THAISEARCH_INDEX_WORKERS of them
    (default: one per core, at most 4); None when that is 1 or less, on a single core, or inside a
    daemonic process (a Celery prefork worker may not have children). The caller terminates it."""
    workers = int(os.environ.get("THAISEARCH_INDEX_WORKERS", min(4, os.cpu_count() or 1)))
    if workers <= 1 or multiprocessing.current_process().daemon:
        return None
    # Forked: the children inherit the loaded dictionaries; they never touch the database.
    return multiprocessing.get_context("fork").Pool(workers)


def prefetch_related_fields(model, objs):
    """One query per RelatedFields relation for the whole batch, shared by Wagtail's indexer and
    thaisearch's entries (otherwise each reads agenda items and activities once per object)."""
    names = [field.field_name for field in model.get_search_fields() if isinstance(field, RelatedFields)]
    if objs and names:
        prefetch_related_objects(objs, *names)


def raw_texts(objs):
    """Every text value the indexers will segment for these objects."""
    texts = []
    for obj in objs:
        for field in obj.get_search_fields():
            if isinstance(field, (SearchField, RelatedFields, AutocompleteField)):
                texts += _field_values(obj, field)
        texts.append(getattr(obj, "thaisearch_area_names", ""))
    return texts


def analyzer_from_params(params):
    return Analyzer(
        split_compounds=params.get("SPLIT_COMPOUNDS", True),
        phrase_queries=params.get("PHRASE_QUERIES", True),
    )


# Networks and their documents are also indexed under the names of the province and district they
# lie in (Thai and English, from geothai), so that "เชียงราย" or "Chiang Rai" finds every network of
# Chiang Rai and its documents, not only those whose title spells the name out.
AREA_NAMES_FIELD = SearchField("thaisearch_area_names")




def attach_area_names(objs):
    """Set `thaisearch_area_names` on networks (they have a province_code) and on documents (they
    have a `network` foreign key): one query for all the documents' networks."""
    documents = [obj for obj in objs if getattr(obj, "network_id", None)]
    areas = {}
    if documents:
        network_model = documents[0]._meta.get_field("network").related_model
        areas = {
            pk: (province_code, area_code)
            for pk, province_code, area_code in network_model._default_manager.filter(
                pk__in={obj.network_id for obj in documents}
            ).values_list("pk", "province_code", "area_code")
        }
    for obj in objs:
        if hasattr(obj, "province_code") and hasattr(obj, "area_code"):
            obj.thaisearch_area_names = area_names(obj.province_code, obj.area_code)
            obj.thaisearch_province_code = obj.province_code
        elif getattr(obj, "network_id", None) in areas:
            obj.thaisearch_area_names = area_names(*areas[obj.network_id])
            obj.thaisearch_province_code = areas[obj.network_id][0]


def _with_area_names(search_fields, obj):
    if getattr(obj, "thaisearch_area_names", ""):
        return [*search_fields, AREA_NAMES_FIELD]
    return search_fields


# Indexed with the title (ranked higher): a network's English name is its title in English.
TITLE_FIELD_NAMES = frozenset(["title", "name_en"])


def _split_title_body(items):
    """(title values, body values) from prepare_field output; the value is the last item."""
    title, body = [], []
    for item in items:
        field = item[0]
        if isinstance(field, SearchField):
            (title if field.field_name in TITLE_FIELD_NAMES else body).append(item)
    return title, body


def _prepare_value(value):
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_prepare_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_prepare_value(item) for item in value.values())
    return force_str(value)


def _field_values(obj, field):
    """The raw text values of a SearchField, or of the SearchFields inside RelatedFields."""
    if isinstance(field, (SearchField, AutocompleteField)):
        yield _prepare_value(field.get_value(obj))
    elif isinstance(field, RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if isinstance(related, Manager):
            related = related.all()
        else:
            related = [related() if callable(related) else related]
        for sub_obj in related:
            for sub_field in field.fields:
                yield from _field_values(sub_obj, sub_field)


def entry_rows(analyzer, objs):
    """thaisearch.entries rows for the objects that are pages the public search finds: the page's
    own title (and English name), its other searchable text, and its area names."""
    kinds = entries.page_models()
    rows = []
    for obj in objs:
        model = type(obj)
        if model not in kinds:
            continue  # the plain Page rows Wagtail also indexes, documents, images, users
        title, body = [], []
        for field in obj.get_search_fields():
            if isinstance(field, SearchField) and field.field_name in TITLE_FIELD_NAMES:
                target = title
            elif isinstance(field, (SearchField, RelatedFields)):
                target = body
            else:
                continue
            for value in _field_values(obj, field):
                target += analyzer.terms(value)
        rows.append((
            obj.pk,
            ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
            getattr(obj, "thaisearch_province_code", "") or "",
            bool(obj.live),
            title,
            body,
            analyzer.terms(getattr(obj, "thaisearch_area_names", "")),
        ))
    return rows


class SegmentingIndexerMixin:
    """What both databases' object indexers add to upstream's: the area names among the search
    fields, the analyzer, and the fields' items split once into the title's and the body's."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.backend_analyzer = backend.analyzer
        self.search_fields = _with_area_names(self.search_fields, obj)

    @cached_property
    def _title_and_body(self):
        items = [item for field in self.search_fields for item in self.prepare_field(self.obj, field)]
        return _split_title_body(items)


class PageEntriesMixin:
    """What both databases' indexes add to Wagtail's: segmenting indexers, thaisearch's own entries, and
    no full-table statistics on every save."""

    # The database's SegmentingIndexerMixin class.
    indexer_class = None

    def add_items(self, model, objs):
        # Upstream's add_items builds its indexers from a module-level class name, so the method is
        # repeated here with ours; write_indexers is upstream's writing of the index rows.
        objs = list(objs)
        indexers = self.segmenting_indexers(model, objs)
        if indexers:
            self.write_indexers(model, indexers)
            self.write_entries(objs)

    def write_indexers(self, model, indexers):
        raise NotImplementedError

    def segmenting_indexers(self, model, objs):
        """The indexers of `objs` (a list), their area names attached and their texts segmented in
        one batch; none when the model has no search fields."""
        if not model.get_search_fields() or not objs:
            return []
        attach_area_names(objs)
        prefetch_related_fields(model, objs)
        self.backend.analyzer.prepare(raw_texts(objs))
        return [self.indexer_class(obj, self.backend) for obj in objs]

    def write_entries(self, objs):
        analyzer = self.backend.analyzer
        entries.write(entry_rows(analyzer, objs))
        analyzer.forget()

    def _refresh_title_norms(self, full=False):
        # Upstream recomputes AVG(LENGTH(title)) over the whole index table, and rewrites every new
        # row, on each add_items: at 20,000 charters that was most of a publish. Only a rebuild
        # (update_index, see the rebuilders) refreshes it now; an entry written since keeps
        # title_norm 1.0, i.e. in Wagtail's (admin) ranking its title counts as one of average
        # length. The public search does not use title_norm.
        if full:
            super()._refresh_title_norms(full=True)

    def delete_item(self, item):
        super().delete_item(item)
        if isinstance(item, Page):
            entries.delete([item.pk])

    def reset(self):
        super().reset()
        entries.reset()


class AnalyzingRebuilderMixin:
    def finish(self):
        super().finish()
        entries.analyze()


class ThaiQueryMixin:
    autocomplete = False

    def __init__(self, queryset, query, *args, analyzer, **kwargs):
        super().__init__(queryset, query, *args, **kwargs)
        self.query = analyzer.rewrite(self.query, autocomplete=self.autocomplete)


class ThaiBackendMixin:
    def __init__(self, params):
        super().__init__(params)
        self.analyzer = analyzer_from_params(params)

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        # Every search and autocomplete goes through here: hand the compiler our analyzer.
        return super()._search(query_compiler_class, query, model_or_queryset, analyzer=self.analyzer, **kwargs)


# --- PostgreSQL ----------------------------------------------------------------------------------


class ThaiPostgresObjectIndexer(SegmentingIndexerMixin, pg.ObjectIndexer):
    """Segments the texts that become tsvectors; title_text/body_text (used by fuzzy search,
    which compares raw strings) keep the original text."""

    def as_vector(self, texts, for_autocomplete=False):
        analyzer = self.backend_analyzer
        return super().as_vector([(analyzer.index_text(text), weight) for text, weight in texts], for_autocomplete)

    @cached_property
    def title(self):
        return self.as_vector([(value, weight) for _field, weight, value in self._title_and_body[0]])

    @cached_property
    def body(self):
        return self.as_vector([(value, weight) for _field, weight, value in self._title_and_body[1]])


class ThaiPostgresIndex(PageEntriesMixin, pg.PostgresIndex):
    indexer_class = ThaiPostgresObjectIndexer

    def write_indexers(self, model, indexers):
        # The SQL is upstream's.
        _postgres_upsert(self, model, indexers)


def _postgres_upsert(index, model, indexers):
    """PostgresIndex.add_items after the indexers are built (django-modelsearch 1.x)."""
    IndexEntry = pg.IndexEntry
    content_type_pk = get_content_type_pk(model)
    compiler = sql_insert_compiler(IndexEntry, index.write_connection)
    rows_sql = []
    params = []
    for indexer in indexers:
        params.extend((content_type_pk, indexer.id))
        row = []
        for name in ("title", "autocomplete", "body"):
            value = compiler.prepare_value(IndexEntry._meta.get_field(name), getattr(indexer, name))
            sql, value_params = value.as_sql(compiler, index.write_connection)
            row.append(sql)
            params.extend(value_params)
        params.extend((indexer.title_text, indexer.body_text))
        rows_sql.append(f"(%s, %s, {row[0]}, {row[1]}, {row[2]}, 1.0, %s, %s)")
    with index.write_connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {IndexEntry._meta.db_table}
                (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
            (VALUES {", ".join(rows_sql)})
            ON CONFLICT (content_type_id, object_id)
            DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                          body = EXCLUDED.body, title_text = EXCLUDED.title_text,
                          body_text = EXCLUDED.body_text
            """,
            params,
        )


class ThaiPostgresSearchQueryCompiler(ThaiQueryMixin, pg.PostgresSearchQueryCompiler):
    pass


class ThaiPostgresAutocompleteQueryCompiler(ThaiQueryMixin, pg.PostgresAutocompleteQueryCompiler):
    autocomplete = True


class ThaiPostgresRebuilder(AnalyzingRebuilderMixin, pg.PostgresSearchRebuilder):
    pass


class ThaiPostgresAtomicRebuilder(AnalyzingRebuilderMixin, pg.PostgresSearchAtomicRebuilder):
    pass


class ThaiPostgresSearchBackend(ThaiBackendMixin, pg.PostgresSearchBackend):
    index_class = ThaiPostgresIndex
    rebuilder_class = ThaiPostgresRebuilder
    atomic_rebuilder_class = ThaiPostgresAtomicRebuilder
    query_compiler_class = ThaiPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = ThaiPostgresAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        # Terms are already segmented and lower-cased; 'simple' only splits on spaces, exactly as
        # SQLite FTS5 does, so both databases find the same pages. (No English stemming.)
        self.config = params.get("SEARCH_CONFIG", "simple")


# --- SQLite --------------------------------------------------------------------------------------


@cache
def _sqlite_classes():
    # Imported on first use: the module reads SQLite-only models at import time.
    from modelsearch.backends.database.sqlite import sqlite as lite

    class ThaiSQLiteObjectIndexer(SegmentingIndexerMixin, lite.ObjectIndexer):
        def prepare_field(self, obj, field):
            for current_field, value in super().prepare_field(obj, field):
                yield current_field, self.backend_analyzer.index_text(value)

        @cached_property
        def title(self):
            return " ".join(value for _field, value in self._title_and_body[0])

        @cached_property
        def body(self):
            return " ".join(value for _field, value in self._title_and_body[1])

    class ThaiSQLiteIndex(PageEntriesMixin, lite.SQLiteIndex):
        indexer_class = ThaiSQLiteObjectIndexer

        def write_indexers(self, model, indexers):
            # SQLiteIndex.add_items after its indexers are built.
            content_type_pk = get_content_type_pk(model)
            data = {i.id: (i.title, i.autocomplete, i.body) for i in indexers}
            entries = self.entries.filter(content_type_id=content_type_pk)
            existing = set(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
            for object_id in existing:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
            self.entries.bulk_create(
                [
                    lite.IndexEntry(
                        content_type_id=content_type_pk,
                        object_id=object_id,
                        title=title,
                        autocomplete=autocomplete,
                        body=body,
                    )
                    for object_id, (title, autocomplete, body) in data.items()
                    if object_id not in existing
                ]
            )

    class WeightedBM25(lite.BM25):
        """bm25() with a weight per FTS column (autocomplete, body, title). Upstream weighs them
        alike, so a tambon whose area names the province outranked the province's own network."""

        def __init__(self, weights):
            super().__init__()
            self.weights = weights

        def as_sql(self, compiler, connection, function=None, template=None):
            weights = ", ".join(str(float(w)) for w in self.weights)
            return f"bm25({lite.SQLiteFTSIndexEntry._meta.db_table}, {weights})", []

    class RankingMixin:
        BM25_WEIGHTS = (0.0, 1.0, SQLITE_TITLE_WEIGHT)

        def build_tsrank(self, vector, query, config=None, boost=1.0):
            if isinstance(query, (lite.Phrase, lite.PlainText, Not)):
                rank = WeightedBM25(self.BM25_WEIGHTS)
                return rank * boost if boost != 1.0 else rank
            return super().build_tsrank(vector, query, config=config, boost=boost)

        def ranked_pks(self, config):
            """[(pk, score), ...] of the matching objects the queryset allows, best first; None
            for the cases upstream handles (match all, negation, no relevance ordering).

            Upstream orders by a correlated subquery that runs the FTS match once per matching
            row, quadratic in the number of matches (18 s for "กองทุน" over the 7,436 tambon
            networks). Here the match runs once, under the queryset's own filters, returning every
            (id, score); the order and the page window are applied in Python."""
            if getattr(self, "_ranked_pks", False) is not False:
                return self._ranked_pks
            self._ranked_pks = None
            query = lite.normalize(self.query)
            if isinstance(query, (MatchAll, Not)) or not self.order_by_relevance:
                return None
            match = lite.MatchExpression(
                self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
            )
            entries = lite.SQLiteFTSIndexEntry.objects.filter(match).filter(
                index_entry__content_type__in=lite.get_descendants_content_types_pks(self.queryset.model)
            )
            # One query: the FTS match, restricted to the objects the queryset allows. FTS5's bm25()
            # scores the whole MATCH expression at once (upstream multiplies one score per phrase,
            # and with bm25's negative values two phrases flip the order).
            allowed = self.queryset.order_by().annotate(
                thaisearch_object_id=Cast("pk", output_field=TextField())
            ).values("thaisearch_object_id")
            to_python = self.queryset.model._meta.pk.to_python
            scored = [
                (to_python(object_id), score)
                for object_id, score in entries.filter(index_entry__object_id__in=allowed)
                .annotate(score=WeightedBM25(self.BM25_WEIGHTS))
                .values_list("index_entry__object_id", "score")
            ]
            # bm25() is negative, lower is better; ties newest first, as upstream (stable sorts).
            scored.sort(key=lambda item: item[0], reverse=True)
            scored.sort(key=lambda item: item[1])
            self._ranked_pks = scored
            return scored

    class ThaiSQLiteSearchQueryCompiler(ThaiQueryMixin, RankingMixin, lite.SQLiteSearchQueryCompiler):
        pass

    class ThaiSQLiteSearchResults(lite.SQLiteSearchResults):
        def _ranked(self):
            return self.query_compiler.ranked_pks(self.query_compiler.get_config(self.backend))

        def _do_search(self):
            ranked = self._ranked()
            if ranked is None:
                return super()._do_search()
            window = ranked[self.start : self.stop]
            objects = self.query_compiler.queryset.filter(pk__in=[pk for pk, _score in window]).in_bulk()
            results = []
            for pk, score in window:
                obj = objects.get(pk)
                if obj is not None:
                    if self._score_field:
                        setattr(obj, self._score_field, score)
                    results.append(obj)
            return results

        def _do_count(self):
            ranked = self._ranked()
            if ranked is None:
                return super()._do_count()
            return len(ranked[self.start : self.stop])

    class ThaiSQLiteAutocompleteQueryCompiler(ThaiQueryMixin, RankingMixin, lite.SQLiteAutocompleteQueryCompiler):
        autocomplete = True
        BM25_WEIGHTS = (1.0, 0.0, 0.0)

    class ThaiSQLiteSearchBackend(ThaiBackendMixin, lite.SQLiteSearchBackend):
        index_class = ThaiSQLiteIndex
        query_compiler_class = ThaiSQLiteSearchQueryCompiler
        autocomplete_query_compiler_class = ThaiSQLiteAutocompleteQueryCompiler
        results_class = ThaiSQLiteSearchResults

    return ThaiSQLiteSearchBackend


SQLITE_TITLE_WEIGHT = 5.0
_SQLITE_FTS = None  # SQLite has FTS5 and Wagtail's FTS table exists; None until checked


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The Thai backend for the database in use (called as `thaisearch.backend.SearchBackend`)."""
    if connection.vendor == "postgresql":
        return ThaiPostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        global _SQLITE_FTS
        if _SQLITE_FTS is None:
            # Checked once per process (a query), as Wagtail's own database backend does.
            _SQLITE_FTS = sqlite_fts_ready()
        if _SQLITE_FTS:
            return _sqlite_classes()(params)
    raise ImproperlyConfigured(
        "thaisearch needs PostgreSQL or SQLite with FTS5; "
        f"the '{connection.vendor}' database is not supported."
    )
