from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content (`manage.py load_demo`) and the synthetic national corpus for benchmarks
    (`manage.py load_scale_corpus`). Nothing else imports it."""

    name = "demo"
    verbose_name = _("Demo content")
