from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing work")

    def ready(self):
        from .checks import check_broker_timings  # imports the tasks, which need the apps loaded

        checks.register(check_broker_timings, "outbox")
