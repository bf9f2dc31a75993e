from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from .models import RegistrationAnnouncement, RegistryEntry
from .permissions import RegistryPermissionPolicy
from .views import RegistryViewSetGroup

register_permission_policy(RegistryEntry, RegistryPermissionPolicy(RegistryEntry))
register_permission_policy(RegistrationAnnouncement, RegistryPermissionPolicy(RegistrationAnnouncement))


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


class LoggedValueFormatter(LogFormatter):
    """A registry action in the audit log, its message naming one value the action logged."""

    message = ""
    data_key = ""
    missing = ""

    def format_message(self, log_entry):
        return self.message % {self.data_key: log_entry.data.get(self.data_key, self.missing)}


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
