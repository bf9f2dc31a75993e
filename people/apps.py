from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and permissions")

    def ready(self):
        # App loading: the receivers import the models, which are not ready when apps.py is imported.
        from wagtail.models import Page

        from core.wagtail_compat import register_page_permission_policy

        from . import signals
        from .permissions import NetworkScopedPagePermissionPolicy

        signals.connect()
        # A committee's page permissions stop at the networks below its own (permissions.grant_reaches);
        # registered before any request, so that every admin view and permission tester uses it.
        register_page_permission_policy(NetworkScopedPagePermissionPolicy(Page))
