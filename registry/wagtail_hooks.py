import datetime

from django.urls import include, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from core.thaidate import format_date_for_language
from people import roles

from . import duty_urls
from .duty_views import files_for_an_organization, has_duties_menu
from .models import NoticeKind, RegistrationAnnouncement, RegistryEntry
from .permissions import RegistryPermissionPolicy
from .views import RegistryViewSetGroup

register_permission_policy(RegistryEntry, RegistryPermissionPolicy(RegistryEntry))
register_permission_policy(RegistrationAnnouncement, RegistryPermissionPolicy(RegistrationAnnouncement))


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


# --- Duties after registration: half-year reports and notices ------------------------------------


@hooks.register("register_admin_urls")
def register_duties_urls():
    return [path("registry-duties/", include(duty_urls, namespace="registry_duties"))]


class DutiesMenuItem(MenuItem):
    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class DutiesSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return has_duties_menu(request.user)


def _reads_overdue(user):
    return roles.is_registrar(user) or roles.is_provincial_officer(user)


duties_menu = Menu(register_hook_name="register_registry_duties_menu_item")

# The submenu's items: (label, URL name, icon, order, whom it is shown to).
DUTIES_MENU_ITEMS = (
    (_("My organization's reports"), "registry_duties:index", "doc-full", 100, files_for_an_organization),
    (_("Waiting for the registrar"), "registry_duties:queue", "tasks", 200, roles.is_registrar),
    (_("Past a 30-day duty"), "registry_duties:overdue", "warning", 300, _reads_overdue),
)


def _duties_menu_item_hook(label, url_name, icon_name, order, shown_to):
    def register_item():
        return DutiesMenuItem(label, reverse(url_name), icon_name=icon_name, order=order, shown_to=shown_to)

    return register_item


for _item in DUTIES_MENU_ITEMS:
    hooks.register("register_registry_duties_menu_item", _duties_menu_item_hook(*_item))


@hooks.register("register_admin_menu_item")
def register_duties_menu():
    return DutiesSubmenuMenuItem(_("Reports and notices"), duties_menu, icon_name="doc-full-inverse", order=310)


class LoggedValueFormatter(LogFormatter):
    """A registry action in the audit log, its message naming one value the action logged."""

    message = ""
    data_key = ""
    missing = ""

    def format_message(self, log_entry):
        value = log_entry.data.get(self.data_key, self.missing)
        return self.message % {self.data_key: worded_log_value(self.data_key, value)}


def worded_log_value(key, value):
    """A logged value in the reader's words: a notice's kind by its label, a date in the reader's era
    (the log keeps the ISO date and the code, which are the same in every language)."""
    if key == "kind" and value in NoticeKind.values:
        return NoticeKind(value).label
    if key == "period_end" and value:
        try:
            return format_date_for_language(datetime.date.fromisoformat(value), get_language())
        except (TypeError, ValueError):
            return value
    return value


# (action, label, message, the logged value it names, shown when that value is missing); the data are
# logged by registry.services.
REGISTRY_LOG_ACTIONS = (
    ("registry.register", _("Register"), _("Registered with number %(number)s"), "number", ""),
    ("registry.amend", _("Register an amendment"), _("Amendment %(sequence)s registered"), "sequence", ""),
    ("registry.revoke", _("Revoke certification"), _("Certification revoked: %(reason)s"), "reason", ""),
    (
        "registry.announce", _("Issue announcement"),
        _("Announcement issued listing %(count)s organizations"), "count", 0,
    ),
    ("registry.report_filed", _("File a half-year report"), _("Half-year report filed (%(period_end)s)"), "period_end", ""),
    ("registry.report_refiled", _("File a corrected half-year report"), _("Corrected half-year report filed (%(period_end)s)"), "period_end", ""),
    ("registry.notice_filed", _("File a notice"), _("Notice filed (%(kind)s)"), "kind", ""),
    ("registry.notice_refiled", _("File a corrected notice"), _("Corrected notice filed (%(kind)s)"), "kind", ""),
    ("registry.filing_accepted", _("Accept"), _("Accepted by the registrar%(note)s"), "note", ""),
    ("registry.filing_returned", _("Return for correction"), _("Returned for correction: %(reason)s"), "reason", ""),
)


@hooks.register("register_log_actions")
def register_registry_log_actions(actions):
    """The registry's actions in Wagtail's audit log (the History view and the site history report),
    next to the field-by-field record that django-simple-history keeps."""
    for action, label, message, data_key, missing in REGISTRY_LOG_ACTIONS:
        formatter = type(
            "RegistryLogFormatter",
            (LoggedValueFormatter,),
            {"label": label, "message": message, "data_key": data_key, "missing": missing},
        )
        actions.register_action(action)(formatter)
