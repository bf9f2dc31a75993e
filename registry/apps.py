from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry of community welfare organizations")

    def ready(self):
        # app loading: both modules import models, which are not ready when apps.py is imported.
        from outbox.reminders import register_periodic_reminders

        from .reminders import remind_registered_organizations

        register_periodic_reminders(remind_registered_organizations)
