from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What the public sees outside the page tree: the registry, verification, diffs, search, API."""

    name = "public"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The page cache listens to the tree, the registry and the PDFs (public/signals.py).
        from . import signals

        signals.connect()
