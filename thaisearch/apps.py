from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_unpublished

from networks.signals import pages_loaded_in_bulk


class ThaiSearchConfig(AppConfig):
    name = "thaisearch"
    label = "thaisearch"
    verbose_name = _("Thai search")

    def ready(self):
        # App loading: thaisearch.entries imports the models, which are not ready when apps.py is imported.
        from . import entries

        page_unpublished.connect(entries.on_page_unpublished, dispatch_uid="thaisearch_unpublished")
        pages_loaded_in_bulk.connect(entries.on_pages_loaded_in_bulk, dispatch_uid="thaisearch_loaded_in_bulk")
