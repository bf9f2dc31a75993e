"""The public page cache: anonymous GETs of public pages come from the cache, and are never stale.

How an entry stays fresh. Every response depends on a few *groups*, each with a version number kept in
the cache itself:

- ``site``: view restrictions and sites (every response depends on it);
- ``tree``: any page anywhere (the API, the registry's links to charter and network pages);
- ``registry``: any registry entry, amendment or announcement;
- ``node:<path>``: the page at that tree path itself (its text, title, URL, whether it is live);
  a page depends on the node group of itself and of each of its ancestors (breadcrumbs, URL);
- ``below:<path>``: anything strictly below that page (its listings, documents and counts).

An entry stores the versions of its groups at the time it was rendered; a lookup reads the current
versions (one get_many) and serves the entry only if they are all equal. A change bumps the groups it
affects (public/signals.py, one ``incr`` each), so a stale entry is never read again: publishing a
tambon's minutes bumps that page's node group and the ``below`` groups of its district, province,
region, national network and home page, and leaves the other 7,000 tambons' pages cached.

The bump happens at once (the writer's own transaction already reads the new state) and again when
the transaction commits: a reader that rendered the old, committed state in between may have stored
it under the intermediate versions, and the commit-time bump invalidates that entry. A reader that
renders while a bump happens does not store at all (the ``generation`` check in ``_store``).

Never cached: other methods than GET, users with a session of a signed-in user, requests carrying
flash messages, URLs outside the allow-list or with query parameters the view does not read,
responses other than 200, responses that set a cookie or vary on it (a CSRF token in a form), pages
that are not live or sit under a view restriction, previews. Search is not cached: every query is a
new key (the cache would fill with one-off entries) and its results depend on every page.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import get_language, get_language_from_path
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, Site

from pages.doctypes import document_types

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis comes with Celery
    RedisError = OSError

logger = logging.getLogger(__name__)
# What a cache that does not answer raises: the page is then served uncached.
CACHE_ERRORS = (RedisError, OSError)
# After a failure this process leaves the cache alone for a few seconds instead of waiting for its
# timeout on every request.
RETRY_AFTER_SECONDS = 5
_unreachable_until = 0.0


def _available():
    return time.monotonic() >= _unreachable_until


def _unreachable(what, *args):
    global _unreachable_until
    _unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
    logger.warning("Public page cache unreachable: " + what, *args, exc_info=True)

GROUP_PREFIX = "public-cache:v:"
ENTRY_PREFIX = "public-cache:r:"
# Bumped first by every change: a reader that saw it move while rendering does not store.
GENERATION = "generation"
SITE, TREE, REGISTRY = "site", "tree", "registry"

# The pages of the tree the cache keeps: the home page, the networks and every type of document.
PAGE_TYPES = ("networks.homepage", "networks.networkpage",
              *(document_type.model_label.lower() for document_type in document_types()))
_REGISTRY_FILTERS = {"province", "year", "status", "sort"}
_EVERYTHING_PUBLIC = (SITE, TREE, REGISTRY)
# URL name: (the query parameters the view reads, the groups its response depends on). Pages of the
# tree get their groups from the page they show (page_groups).
ALLOWED_VIEWS = {
    "wagtail_serve": ({"page", "print", "digits"}, None),
    "public:registry": (_REGISTRY_FILTERS | {"page"}, _EVERYTHING_PUBLIC),
    "public:registry_csv": (_REGISTRY_FILTERS, _EVERYTHING_PUBLIC),
    "public:registry_json": (_REGISTRY_FILTERS | {"download"}, _EVERYTHING_PUBLIC),
    "public:charter_diff": ({"from", "to"}, _EVERYTHING_PUBLIC),
    "public:verify_form": ({"number"}, (SITE,)),
    "public:verify": (set(), _EVERYTHING_PUBLIC),
    "public:verify_text": ({"normalized"}, _EVERYTHING_PUBLIC),
    "public:api_index": (set(), (SITE,)),
    "public:api_networks": ({"limit", "offset", "level", "province", "parent"}, _EVERYTHING_PUBLIC),
    "public:api_network": (set(), _EVERYTHING_PUBLIC),
    "public:api_charters": ({"limit", "offset", "province", "network"}, _EVERYTHING_PUBLIC),
    "public:api_charter": (set(), _EVERYTHING_PUBLIC),
    "public:api_registry": (_REGISTRY_FILTERS | {"limit", "offset"}, _EVERYTHING_PUBLIC),
    "public:api_registry_entry": (set(), _EVERYTHING_PUBLIC),
}
# A longer query value is no filter anyone types: not worth an entry.
MAX_PARAMETER_LENGTH = 64


def _cache():
    return caches[getattr(settings, "PUBLIC_CACHE_ALIAS", "public")]


def _group_key(group):
    return GROUP_PREFIX + group


# --- Groups --------------------------------------------------------------------------------------


def ancestor_paths(path):
    """The tree paths of the page at `path` and of each of its ancestors, root first."""
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def page_groups(path):
    """The groups a rendered page at `path` depends on."""
    return [SITE, *(f"node:{p}" for p in ancestor_paths(path)), f"below:{path}"]


def changed_page_groups(path):
    """The groups a change of the page at `path` (or of what it shows) bumps."""
    return [TREE, f"node:{path}", *(f"below:{p}" for p in ancestor_paths(path)[:-1])]


def current_versions(groups):
    """{group: version} for the groups that have a version (a missing one is never equal)."""
    found = _cache().get_many([_group_key(g) for g in groups])
    return {g: found[_group_key(g)] for g in groups if _group_key(g) in found}


def _ensure_versions(groups):
    """The current versions, creating missing ones. A new version starts at the clock in nanoseconds,
    so a version lost from the cache (evicted, restarted) never comes back equal to an old one."""
    versions = current_versions(groups)
    cache = _cache()
    for group in set(groups) - set(versions):
        cache.add(_group_key(group), time.time_ns(), timeout=None)
        versions[group] = cache.get(_group_key(group))
    return versions


# True in a process whose bump failed (Redis away): entries it should have invalidated may still be in
# Redis when it comes back, so the next bump from this process invalidates everything (``site``).
_lost_invalidation = False


def bump(groups):
    """Move the groups to a new version now; the generation first (see _store). Never raises: a cache
    that does not answer must not undo the registrar's decision."""
    global _lost_invalidation
    groups = set(groups) | ({SITE} if _lost_invalidation else set())
    if not _available():
        _lost_invalidation = True
        return
    cache = _cache()
    try:
        for group in [GENERATION, *sorted(groups)]:
            key = _group_key(group)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, time.time_ns(), timeout=None)
    except CACHE_ERRORS:
        _unreachable("invalidation of %s postponed", sorted(groups))
        _lost_invalidation = True
        return
    _lost_invalidation = False


class _PendingInvalidation:
    """The groups (and URLs for the frontend cache) a transaction changed, bumped once it commits."""

    def __init__(self):
        self.groups = set()
        self.paths = set()
        self.done = False

    def __call__(self):
        self.done = True
        bump(self.groups)
        purge_frontend_cache(self.paths)


def _pending(connection):
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _PendingInvalidation) and not func.done:
            return func
    return None


def invalidate(groups, paths=(), using=None):
    """Bump `groups` now and again when the current transaction commits; purge the site-relative
    `paths` from the frontend cache (when one is configured) after the commit.

    One pending invalidation per transaction collects everything for the commit, so a transaction
    that changes a thousand pages registers one callback, not a thousand."""
    groups = set(groups)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump(groups)
        purge_frontend_cache(paths)
        return
    pending = _pending(connection)
    if pending is None:
        pending = _PendingInvalidation()
        transaction.on_commit(pending, using=using)
    pending.groups |= groups
    pending.paths |= set(paths)
    # This connection reads the new state already: its own next read must not get the old entry, even
    # one it stored after an earlier change in the same transaction.
    bump(groups)


def invalidate_everything():
    """After changes that send no signals (the bulk tree loader): every entry depends on ``site``."""
    invalidate([SITE, TREE, REGISTRY])


# --- Values shared by pages ----------------------------------------------------------------------


def remember(name, groups, compute):
    """compute()'s value, kept under `name` until one of `groups` changes: the counts of the home and
    network pages, which a rendering would otherwise recompute over the whole subtree each time.
    Stored only if no change happened while computing (as pages are, see _store); computed afresh
    whenever the cache is off or does not answer."""
    if not getattr(settings, "PUBLIC_CACHE_ENABLED", True) or _lost_invalidation or not _available():
        return compute()
    cache = _cache()
    key = ENTRY_PREFIX + "value:" + name
    try:
        entry = _fresh_entry(key)
        if entry is not None:
            return entry["value"]
        generation = _ensure_versions([GENERATION])[GENERATION]
    except CACHE_ERRORS:
        _unreachable("%s computed uncached", name)
        return compute()
    value = compute()
    try:
        versions = _ensure_versions(groups)
        if cache.get(_group_key(GENERATION)) == generation:
            cache.set(key, {"versions": versions, "value": value},
                      timeout=getattr(settings, "PUBLIC_CACHE_TIMEOUT", 24 * 60 * 60))
    except CACHE_ERRORS:
        _unreachable("%s not stored", name)
    return value


# --- Frontend cache ------------------------------------------------------------------------------


def frontend_cache_enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_frontend_cache(paths):
    """Purge site-relative paths, in Thai and in English, on every site, from the configured frontend
    caches (wagtail.contrib.frontend_cache; a task, so the purge never holds the request)."""
    if not paths or not frontend_cache_enabled():
        return
    urls = set()
    for site in Site.objects.all():
        base = site.root_url
        for path in paths:
            urls.add(base + path)
            urls.add(base + "/en" + path)
    purge_urls_from_cache(sorted(urls))


# --- The middleware ------------------------------------------------------------------------------


def _path_language(request):
    """The language LocaleMiddleware will activate for this request: the URL's prefix (/en/), else the
    default (i18n_patterns with prefix_default_language=False), known before any middleware runs."""
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _entry_key(request):
    query = "&".join(f"{k}={v}" for k, values in sorted(request.GET.lists()) for v in values)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}|{_path_language(request)}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _fresh_entry(key):
    """The stored response under `key` if every group it depends on is still at its version."""
    entry = _cache().get(key)
    if entry is not None and current_versions(entry["versions"]) == entry["versions"]:
        return entry
    return None


def _signed_in(request):
    # Only a request carrying a session can belong to a signed-in user; without one, no query.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _cacheable_request(request, allowed_parameters):
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    # Messages waiting to be shown belong to this visitor alone.
    if "messages" in request.COOKIES:
        return False
    for name, values in request.GET.lists():
        if name not in allowed_parameters or any(len(v) > MAX_PARAMETER_LENGTH for v in values):
            return False
    return not _signed_in(request)


def _served_page(response):
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page if isinstance(page, Page) else None


def _response_groups(view_groups, response):
    """The groups of a response, or None if it must not be stored."""
    if view_groups is not None:
        return list(view_groups)
    page = _served_page(response)
    if page is None or page._meta.label_lower not in PAGE_TYPES or not page.live:
        return None
    # A queryset, or a list when the route already read them (pages.models.HomePage.route).
    if list(page.get_view_restrictions()):
        return None
    return page_groups(page.path)


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not getattr(request, "is_preview", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _conditional(request, response):
    """304 when the client already has this version (If-None-Match)."""
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


class _State:
    def __init__(self, key, view_groups, generation):
        self.key = key
        self.view_groups = view_groups
        self.generation = generation


class PublicPageCacheMiddleware(MiddlewareMixin):
    """Serve and store anonymous GETs of the allow-listed public views (see the module docstring).

    Placed before SessionMiddleware: its response half then runs after the session, CSRF, messages
    and locale middlewares have set their cookies and Vary headers, so a response that sets a cookie
    (a CSRF token) is seen and never stored. The lookup is in process_view, which Django calls after
    every middleware's request half: the language is active, the URL resolved, request.user set."""

    def process_request(self, request):
        """A hit for a visitor without a session, before any other middleware or the URL resolver
        runs: a cached page then costs two cache reads and no more (bench/serve_pages.py). Only
        allow-listed anonymous responses were ever stored, under a key of the exact URL, so a key that
        is found needs no further check; everything else goes on to process_view."""
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or not getattr(settings, "PUBLIC_CACHE_ENABLED", True)
            or _lost_invalidation
            or not _available()
        ):
            return None
        try:
            entry = _fresh_entry(_entry_key(request))
        except CACHE_ERRORS:
            _unreachable("%s served uncached", request.path)
            return None
        return _conditional(request, _rebuild(entry)) if entry is not None else None

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Off: what measures the cost of rendering (query-count tests, bench/page_cpu.py) turns it off.
        if not getattr(settings, "PUBLIC_CACHE_ENABLED", True):
            return None
        if _lost_invalidation and _available():
            bump(())
        match = request.resolver_match
        allowed = ALLOWED_VIEWS.get(match.view_name if match else None)
        if allowed is None:
            return None
        parameters, view_groups = allowed
        if not _cacheable_request(request, parameters):
            request._public_cache_bypass = True
            return None
        if not _available():
            return None
        if get_language() != _path_language(request):
            return None  # never expected (LocaleMiddleware follows the path), but the key assumes it
        key = _entry_key(request)
        try:
            entry = _fresh_entry(key)
            if entry is not None:
                return _conditional(request, _rebuild(entry))
            # The generation before rendering: see _store.
            generation = _ensure_versions([GENERATION])[GENERATION]
        except CACHE_ERRORS:
            _unreachable("%s served uncached", request.path)
            return None
        request._public_cache = _State(key, view_groups, generation)
        return None

    def process_response(self, request, response):
        state = getattr(request, "_public_cache", None)
        if getattr(request, "_public_cache_bypass", False) and "Cache-Control" not in response:
            # A signed-in user's copy of a public page must not be kept by a shared cache either.
            patch_cache_control(response, private=True, max_age=0)
        if state is None or not _cacheable_response(request, response):
            return response
        groups = _response_groups(state.view_groups, response)
        if groups is None:
            return response
        _mark_public(response)
        try:
            self._store(state, groups, response)
        except CACHE_ERRORS:
            _unreachable("%s not stored", request.path)
        response["X-Public-Cache"] = "miss"
        return _conditional(request, response)

    def _store(self, state, groups, response):
        cache = _cache()
        versions = _ensure_versions(groups)
        # Read after the versions. If no change happened since before rendering, these versions are
        # the ones the rendered state belongs to; otherwise a change committed while rendering and
        # this response may show the old state: don't store it.
        if cache.get(_group_key(GENERATION)) != state.generation:
            return
        cache.set(state.key, {
            "versions": versions,
            "content": response.content,
            "headers": list(response.headers.items()),
        }, timeout=getattr(settings, "PUBLIC_CACHE_TIMEOUT", 24 * 60 * 60))


def _mark_public(response):
    # An ETag of the content, no Last-Modified: a page changed twice within one second would keep
    # the same Last-Modified, and a client asking If-Modified-Since alone would get a 304 for it.
    patch_cache_control(response, public=True, max_age=getattr(settings, "PUBLIC_CACHE_MAX_AGE", 60))
    if not response.has_header("ETag"):
        set_response_etag(response)


def _rebuild(entry):
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Public-Cache"] = "hit"
    return response
