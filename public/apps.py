from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import providers


class PublicConfig(AppConfig):
    """What the public sees outside the page tree: the registry, verification, diffs, search, API."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        # app loading: these modules import models, which are not ready when apps.py is imported.
        from . import signals
        from .context import page_context

        # The page cache listens to the tree, the registry and the PDFs (public/signals.py).
        signals.connect()
        # The home, network and document pages get their public context from here.
        providers.public_context.register(page_context)
