from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    """The network tree of all Thailand (home → national → region → province → zone → district →
    tambon) and its bulk loader."""

    name = "networks"
    verbose_name = _("Networks")
