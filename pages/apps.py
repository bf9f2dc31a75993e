from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The documents of a network: charter, action plan, meeting minutes, and the one list of
    document types (pages.doctypes)."""

    name = "pages"
    verbose_name = _("Documents")
