import os
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry of community welfare organizations")

    def ready(self):
        # app loading: these modules import models, which are not ready when apps.py is imported.
        from outbox.reminders import register_periodic_reminders

        from . import scheduler, signals
        from .reminders import remind_registered_organizations

        register_periodic_reminders(remind_registered_organizations)
        # Changes of a registered organization's committee or office make a notice due (registry.signals).
        signals.connect()
        # The embedded default (`make run`): no beat, so the development server runs the schedule.
        if scheduler.should_start(sys.argv, os.environ):
            scheduler.start()
