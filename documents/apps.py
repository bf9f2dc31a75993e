from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        # App loading: the receivers import the models, which are not ready when apps.py is imported.
        from . import signals

        signals.connect()

        # The registrar's screens (registry, a lower layer) link to the PDFs through core.providers.
        from core import providers

        from .api import official_pdf_links

        providers.official_pdf_links.register(official_pdf_links)
