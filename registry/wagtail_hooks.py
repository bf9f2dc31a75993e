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


@hooks.register("register_log_actions")
def register_registry_log_actions(actions):
    """The registry's actions in Wagtail's audit log (the History view and the site history report),
    next to the field-by-field record that django-simple-history keeps."""

    @actions.register_action("registry.register")
    class Register(LogFormatter):
        label = _("Register")

        def format_message(self, log_entry):
            return _("Registered with number %(number)s") % {"number": log_entry.data.get("number", "")}

    @actions.register_action("registry.amend")
    class Amend(LogFormatter):
        label = _("Register an amendment")

        def format_message(self, log_entry):
            return _("Amendment %(sequence)s registered") % {"sequence": log_entry.data.get("sequence", "")}

    @actions.register_action("registry.revoke")
    class Revoke(LogFormatter):
        label = _("Revoke certification")

        def format_message(self, log_entry):
            return _("Certification revoked: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action("registry.announce")
    class Announce(LogFormatter):
        label = _("Issue announcement")

        def format_message(self, log_entry):
            return _("Announcement issued listing %(count)s organizations") % {"count": log_entry.data.get("count", 0)}
