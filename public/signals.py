"""What a change invalidates in the public page cache (public/cache.py). Connected in PublicConfig.ready():
the public layer listens to the page tree, the registry and the generated PDFs; they never call it.

Each receiver names the groups the change shows in: a page's own node group and the ``below`` groups of
its ancestors (their listings and counts), ``tree`` (the API and the registry's links), ``registry``.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.frontend_cache import signal_handlers
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from documents.models import GeneratedDocument
from networks.signals import pages_loaded_in_bulk
from registry.models import (
    AnnouncedEntry,
    HalfYearReport,
    RegistrationAnnouncement,
    RegistryAmendment,
    RegistryEntry,
)

from . import cache

# The public addresses that list the whole registry (purged from a frontend cache on every change).
REGISTRY_URL_NAMES = ("public:registry", "public:registry_csv", "public:registry_json", "public:api_registry",
                      "public:api_networks", "public:api_charters")


def _thai_paths(names_and_args):
    # Site-relative paths in the default language; the purge adds the /en/ variant of each.
    with translation.override(settings.LANGUAGE_CODE):
        return {reverse(name, args=args) for name, args in names_and_args}


def _page_paths(path):
    """The URLs of the page at `path` and of its ancestors, for the frontend cache (queries only when
    a frontend cache is configured)."""
    if not cache.frontend_cache_enabled():
        return set()
    paths = set()
    with translation.override(settings.LANGUAGE_CODE):
        for page in Page.objects.filter(path__in=cache.ancestor_paths(path)).specific(defer=True):
            url = page.get_url()
            if url:
                paths.add(url)
    return paths


def page_changed(path, registry=False, extra_paths=()):
    groups = cache.changed_page_groups(path)
    if registry:
        groups.append(cache.REGISTRY)
    cache.invalidate(groups, paths=_page_paths(path) | set(extra_paths))


# --- The page tree -------------------------------------------------------------------------------


def on_page_published(sender, instance, **kwargs):
    page_changed(instance.path)


def on_page_unpublished(sender, instance, **kwargs):
    page_changed(instance.path)


def on_page_move_before(sender, instance, **kwargs):
    # The old address and the old parent's listings; the new ones follow after the move.
    page_changed(instance.path)


def on_page_moved(sender, instance, **kwargs):
    page_changed(Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first() or instance.path)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.path:
        page_changed(instance.path)


def on_pages_loaded_in_bulk(sender, **kwargs):
    # The tree loader and the scale corpus write thousands of rows without a signal each.
    cache.invalidate_everything()


def on_restriction_changed(sender, instance, **kwargs):
    # Rare, and it hides or shows a whole subtree everywhere it is listed: everything.
    cache.invalidate_everything()


# --- The registry --------------------------------------------------------------------------------


def _entry_changed(entry):
    network_path = Page.objects.filter(pk=entry.network_id).values_list("path", flat=True).first()
    extra = set()
    if cache.frontend_cache_enabled():
        number = [entry.registration_number]
        extra = _thai_paths([(name, ()) for name in REGISTRY_URL_NAMES]
                            + [("public:verify", number), ("public:api_registry_entry", number)])
        # The charter page shows the registration (and the revoked banner) too.
        charter = Page.objects.filter(pk=entry.charter_id).specific(defer=True).first() if entry.charter_id else None
        with translation.override(settings.LANGUAGE_CODE):
            charter_url = charter.get_url() if charter else None
        if charter_url:
            extra.add(charter_url)
    if network_path:
        page_changed(network_path, registry=True, extra_paths=extra)
    else:
        cache.invalidate([cache.TREE, cache.REGISTRY], paths=extra)


def on_entry_saved(sender, instance, **kwargs):
    _entry_changed(instance)


def on_amendment_saved(sender, instance, **kwargs):
    _entry_changed(instance.entry)


def on_announcement_changed(sender, instance, **kwargs):
    cache.invalidate([cache.REGISTRY])


# --- Generated PDFs (certificate, charter, minutes): their links show on the public pages ----------


def on_generated_document_saved(sender, instance, **kwargs):
    source_model = instance.content_type.model_class()
    if source_model is not None and issubclass(source_model, Page):
        path = Page.objects.filter(pk=instance.object_id).values_list("path", flat=True).first()
        if path:
            page_changed(path)
    elif source_model is RegistryEntry:
        entry = RegistryEntry.objects.filter(pk=instance.object_id).only(
            "network_id", "registration_number", "charter_id"
        ).first()
        if entry is not None:
            _entry_changed(entry)
    else:
        cache.invalidate([cache.REGISTRY])


def connect():
    uid = "public.cache."
    page_published.connect(on_page_published, dispatch_uid=uid + "page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid=uid + "page_unpublished")
    pre_page_move.connect(on_page_move_before, dispatch_uid=uid + "pre_page_move")
    post_page_move.connect(on_page_moved, dispatch_uid=uid + "post_page_move")
    pages_loaded_in_bulk.connect(on_pages_loaded_in_bulk, dispatch_uid=uid + "pages_loaded_in_bulk")
    # Per page model, not for every sender: a receiver for all models would turn every fast bulk
    # delete in the project (the outbox's pruning) into one row at a time. A page's rows in each
    # model of its multi-table inheritance send one signal each; invalidate() dedupes.
    for model in apps.get_models():
        if issubclass(model, Page):
            post_delete.connect(on_page_deleted, sender=model, dispatch_uid=f"{uid}delete.{model._meta.label}")
    for model in (PageViewRestriction, Site):
        post_save.connect(on_restriction_changed, sender=model, dispatch_uid=f"{uid}save.{model.__name__}")
        post_delete.connect(on_restriction_changed, sender=model, dispatch_uid=f"{uid}delete.{model.__name__}")
    post_save.connect(on_entry_saved, sender=RegistryEntry, dispatch_uid=uid + "entry_saved")
    post_delete.connect(on_entry_saved, sender=RegistryEntry, dispatch_uid=uid + "entry_deleted")
    post_save.connect(on_amendment_saved, sender=RegistryAmendment, dispatch_uid=uid + "amendment_saved")
    post_delete.connect(on_amendment_saved, sender=RegistryAmendment, dispatch_uid=uid + "amendment_deleted")
    # The registry lists each organization's half-year reports filed and accepted.
    for model in (RegistrationAnnouncement, AnnouncedEntry, HalfYearReport):
        post_save.connect(on_announcement_changed, sender=model, dispatch_uid=f"{uid}save.{model.__name__}")
        post_delete.connect(on_announcement_changed, sender=model, dispatch_uid=f"{uid}delete.{model.__name__}")
    post_save.connect(on_generated_document_saved, sender=GeneratedDocument, dispatch_uid=uid + "generated_document")
    _quiet_wagtail_frontend_cache()


def _quiet_wagtail_frontend_cache():
    """wagtail.contrib.frontend_cache purges each published page itself, through a background task:
    without a configured frontend cache that task would go through the outbox for nothing; with one,
    our receivers purge the page together with its ancestors and listings."""
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    for model in apps.get_models():
        if issubclass(model, Page):
            page_published.disconnect(signal_handlers.page_published_signal_handler, sender=model)
            page_unpublished.disconnect(signal_handlers.page_unpublished_signal_handler, sender=model)
