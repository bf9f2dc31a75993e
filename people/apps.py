from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and permissions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # App loading: the receivers import the models, which are not ready when apps.py is imported.
        from . import signals

        signals.connect()
