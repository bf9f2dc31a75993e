"""The admin menu "Community welfare funds" (กองทุนสวัสดิการ) and its screens.

Other apps add items to the menu with the hook "register_funds_menu_item" (a function returning a
wagtail.admin.menu.MenuItem), as the reconciliation of the fund databases does."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls, permissions


@hooks.register("register_admin_urls")
def register_funds_urls():
    return [path("funds/", include(admin_urls, namespace="funds"))]


class FundsMenuItem(MenuItem):
    """Shown to the users who may open the funds' screens."""

    def is_shown(self, request):
        return permissions.has_fund_access(request.user)


class SummaryMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_a_summary(request.user)


class FundsSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return permissions.has_fund_access(request.user)


funds_menu = Menu(register_hook_name="register_funds_menu_item")


@hooks.register("register_funds_menu_item")
def register_fund_list_item():
    return FundsMenuItem(_("Funds"), reverse("funds:index"), icon_name="list-ul", order=100)


@hooks.register("register_funds_menu_item")
def register_rounds_item():
    return FundsMenuItem(_("Assessment rounds"), reverse("funds:rounds"), icon_name="tasks", order=200)


@hooks.register("register_funds_menu_item")
def register_summary_item():
    return SummaryMenuItem(_("Summaries"), reverse("funds:summary"), icon_name="table", order=300)


@hooks.register("register_admin_menu_item")
def register_funds_menu():
    return FundsSubmenuMenuItem(_("Community welfare funds"), funds_menu, icon_name="group", order=260)
