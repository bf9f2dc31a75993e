"""Who may see and change the registry in the admin.

Nobody adds, edits or deletes entries through generic forms: entries are written only by
registry.services (registration through the workflow, revocation and announcements through the
registrar's own views). Reading the registry in the admin is open to the roles that work with it
(registrars, provincial officers, support staff) and to holders of the Django "view" permission;
the registry is public anyway. Revoking and issuing announcements need an active registrar record,
which a superuser does not have by default (see people.roles).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from people import roles
from people.models import ProvincialOfficerAssignment, RegistrarAssignment, SupportStaffAssignment

REGISTRAR_ACTIONS = ("revoke", "issue_announcement")


class RegistryPermissionPolicy(BasePermissionPolicy):
    def _may_read(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return (
            user.is_superuser
            or roles.is_registrar(user)
            or roles.is_provincial_officer(user)
            or roles.is_support_staff(user)
            or user.has_perm(f"{self.model._meta.app_label}.view_{self.model._meta.model_name}")
        )

    def user_has_permission(self, user, action):
        if action == "view":
            return self._may_read(user)
        if action in REGISTRAR_ACTIONS:
            return roles.is_registrar(user)
        return False

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        registrars = Q(pk__in=RegistrarAssignment.objects.active().values("user_id"))
        if "view" in actions:
            return users.filter(
                registrars
                | Q(is_superuser=True)
                | Q(pk__in=ProvincialOfficerAssignment.objects.active().values("user_id"))
                | Q(pk__in=SupportStaffAssignment.objects.active().values("user_id"))
            )
        if any(action in REGISTRAR_ACTIONS for action in actions):
            return users.filter(registrars)
        return users.none()
