from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThaiSearchConfig(AppConfig):
    name = "thaisearch"
    label = "thaisearch"
    verbose_name = _("Thai search")
