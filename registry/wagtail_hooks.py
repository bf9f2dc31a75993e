from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .dashboard import add_awaiting_my_action_panel
from .models import RegistrationAnnouncement, RegistryEntry
from .permissions import RegistryPermissionPolicy
from .views import RegistryViewSetGroup

register_permission_policy(RegistryEntry, RegistryPermissionPolicy(RegistryEntry))
register_permission_policy(RegistrationAnnouncement, RegistryPermissionPolicy(RegistrationAnnouncement))


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


hooks.register("construct_homepage_panels", add_awaiting_my_action_panel)
