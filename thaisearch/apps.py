from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThaiSearchConfig(AppConfig):
    name = "thaisearch"
    label = "thaisearch"
    verbose_name = _("Thai search")

    def ready(self):
        from wagtail.signals import page_unpublished

        from networks.signals import pages_loaded_in_bulk

        page_unpublished.connect(_unpublished, dispatch_uid="thaisearch_unpublished")
        pages_loaded_in_bulk.connect(_loaded_in_bulk, dispatch_uid="thaisearch_loaded_in_bulk")


def _unpublished(sender, instance, **kwargs):
    # The page's re-indexing may wait for a worker (outbox); the public must not wait for it.
    from .entries import mark_unpublished

    mark_unpublished(instance.pk)


def _loaded_in_bulk(sender, **kwargs):
    # Fresh planner statistics after a bulk load (PostgreSQL here runs without autovacuum).
    from .entries import analyze

    analyze()
