"""The one public search over networks, charters, action plans and meeting minutes.

    from thaisearch import search
    result = search("ระเบียบ", kinds=["charter"], province_code="57", offset=0, limit=20)
    result.total, result.hits[0].title_html, result.hits[0].snippet_html, result.hits[0].page

Only live, publicly viewable pages are ever returned (a draft or a charter still under review is
not live). The query count is bounded: with results it is the search with its count (one
statement over thaisearch.entries; see there for PostgreSQL's extra ones), one query per page type
found and one per related list used for snippets (at most about ten), whatever the number of hits.
The count stops at 1,000 (`total_capped`).
"""

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, prefetch_related_objects
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from core.geography import area_names
from networks.models import NetworkLevel, NetworkPage
from pages.doctypes import document_types

from . import entries
from .analysis import query_phrases
from .highlight import highlight, snippet

MAX_LIMIT = 100
PROVINCE_CODE = re.compile(r"^\d{2}$")


def _kinds():
    """{kind: (page model, label)}: the networks, then each document type under its key."""
    return {
        "network": (NetworkPage, _("Network")),
        **{document_type.key: (document_type.model, document_type.label) for document_type in document_types()},
    }


# The kinds a search may be filtered by, in the order a form should offer them.
KINDS = ("network", *(document_type.key for document_type in document_types()))


def kind_choices():
    """[(kind, label), ...] for a filter form."""
    return [(kind, label) for kind, (_model, label) in _kinds().items()]


class SearchInputError(ValueError):
    """A filter value that cannot be used (the message is for the user, Thai when active)."""


@dataclass
class SearchHit:
    page: Page  # the specific page: NetworkPage, CharterPage, ActionPlanPage or MeetingMinutesPage
    kind: str
    kind_label: str
    title_html: SafeString
    snippet_html: SafeString
    network: Page | None  # the owning network of a document; the network itself for a network

    @property
    def province_code(self):
        return getattr(self.network, "province_code", "") if self.network else ""


@dataclass
class SearchResult:
    query: str
    hits: list = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int = 20
    total_capped: bool = False  # more than `total` (entries.COUNT_CAP) matched: show "1,000+"

    @property
    def has_next(self):
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self):
        return self.offset > 0

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)


def _snippet_source(page, kind):
    """The plain text a hit's snippet is cut from (prefetched relations only)."""
    if kind == "network":
        # The area names are indexed too: show them, so a match on the province is visible.
        return " · ".join(filter(None, [page.name_en, area_names(page.province_code, page.area_code)]))
    if kind == "charter":
        return page.body_text or page.preamble
    if kind == "plan":
        return " ".join([page.goals, *(a.title for a in page.activities.all())])
    if kind == "minutes":
        items = [" ".join(filter(None, [i.title, i.summary, i.resolution])) for i in page.agenda_items.all()]
        return " ".join([page.body_name, page.place, *items])
    return ""


def _kind_of(page, models_to_kind):
    return models_to_kind.get(type(page))


def _search_entries(analyzer, phrases, models, content_types, live_only, province_code, result):
    """The page window of thaisearch's own index (thaisearch.entries), and the capped total."""
    match = entries.Match(phrases, phrase_queries=analyzer.phrase_queries)
    rows, result.total = entries.search_window(
        match,
        # Every entry is of one of the kinds: no condition when all are asked for.
        content_type_ids=None if len(models) == len(KINDS) else [content_types[m].pk for m in models],
        network_type_id=ContentType.objects.get_for_model(_kinds()["network"][0]).pk,
        live_only=live_only,
        province_code=province_code,
        offset=result.offset,
        limit=result.limit,
    )
    if result.total > entries.COUNT_CAP:
        result.total, result.total_capped = entries.COUNT_CAP, True
    # One query per page type, documents with their network.
    model_of = {content_types[m].pk: m for m in models}
    ids_by_model = {}
    for page_id, content_type_id in rows:
        ids_by_model.setdefault(model_of[content_type_id], []).append(page_id)
    pages = {}
    for model, ids in ids_by_model.items():
        queryset = model.objects.filter(pk__in=ids)
        if hasattr(model, "network"):
            queryset = queryset.select_related("network")
        pages.update(queryset.in_bulk())
    return [pages[page_id] for page_id, _ct in rows if page_id in pages]


def _search_other_backend(backend, query, models, content_types, live_only, province_code, result):
    pages = Page.objects.filter(content_type__in=[content_types[m].pk for m in models])
    if live_only:
        pages = pages.live().public()
    if province_code:
        province_paths = list(
            NetworkPage.objects.filter(level=NetworkLevel.PROVINCE, province_code=province_code).values_list(
                "path", flat=True
            )
        )
        if not province_paths:
            return []
        in_province = Q()
        for path in province_paths:
            in_province |= Q(path__startswith=path)
        pages = pages.filter(in_province)
    results = backend.search(query, pages.specific())
    result.total = results.count()
    if not result.total or result.offset >= result.total:
        return []
    found = list(results[result.offset : result.offset + result.limit])
    prefetch_related_objects([page for page in found if hasattr(page, "network_id")], "network")
    return found


def search(query, kinds=None, province_code=None, live_only=True, offset=0, limit=20, backend="default"):
    """Search networks and their documents.

    query: what the reader typed. Thai is segmented; spaces separate phrases; "double quotes"
      join English words into one phrase.
    kinds: None for all, or some of KINDS ("network", "charter", "plan", "minutes").
    province_code: two-digit province code ("57" is Chiang Rai): networks of that province and
      their documents only.
    live_only: keep True on every public page; False is for the admin only.
    backend: a WAGTAILSEARCH_BACKENDS name or a backend instance (the quality benchmark compares some).
    Raises SearchInputError for an unknown kind or a malformed province code.
    """
    all_kinds = _kinds()
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    result = SearchResult(query=query or "", offset=offset, limit=limit)
    if kinds:
        unknown = [k for k in kinds if k not in all_kinds]
        if unknown:
            raise SearchInputError(_("Unknown document type: %(kind)s") % {"kind": ", ".join(unknown)})
    else:
        kinds = list(all_kinds)
    if province_code and not PROVINCE_CODE.match(str(province_code)):
        raise SearchInputError(_("A province code is two digits, for example 57."))
    phrases = query_phrases(query or "")
    if not phrases:
        return result
    if isinstance(backend, str):
        backend = get_search_backend(backend)
    analyzer = getattr(backend, "analyzer", None)
    if analyzer is not None and not analyzer.split_compounds:
        phrases = query_phrases(query, split_compounds=False)

    models = [all_kinds[k][0] for k in kinds]
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    if analyzer is None:
        # Another Wagtail backend (bench/search_quality.py compares Wagtail's own): ask it.
        found = _search_other_backend(backend, query, models, content_types, live_only, province_code, result)
    else:
        found = _search_entries(analyzer, phrases, models, content_types, live_only, province_code, result)
    if not found:
        return result

    models_to_kind = {all_kinds[k][0]: k for k in kinds}
    by_kind = {}
    for page in found:
        by_kind.setdefault(_kind_of(page, models_to_kind), []).append(page)
    if by_kind.get("plan"):
        prefetch_related_objects(by_kind["plan"], "activities")
    if by_kind.get("minutes"):
        prefetch_related_objects(by_kind["minutes"], "agenda_items")

    for page in found:
        kind = _kind_of(page, models_to_kind)
        result.hits.append(
            SearchHit(
                page=page,
                kind=kind,
                kind_label=all_kinds[kind][1],
                title_html=highlight(page.title, phrases),
                snippet_html=snippet(_snippet_source(page, kind), phrases),
                network=page if kind == "network" else page.network,
            )
        )
    return result
