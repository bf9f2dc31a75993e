from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, permissions


@hooks.register("register_admin_urls")
def register_reconciliation_urls():
    return [path("funds/reconciliation/", include(admin_urls, namespace="reconciliation"))]


class ReconciliationMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(permissions.readable_provinces(request.user))


@hooks.register("register_funds_menu_item")
def register_reconciliation_item():
    return ReconciliationMenuItem(
        _("Reconcile the 3 sources"), reverse("reconciliation:index"), icon_name="table", order=400
    )
