from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Community welfare funds: records, yearly reports, quality grading and their summaries."""

    name = "funds"
    verbose_name = _("Community welfare funds")
