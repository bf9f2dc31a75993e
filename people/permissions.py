"""Who may manage the role records in the admin.

Superusers and holders of the Django model permissions manage every record. A provincial officer
manages the committee memberships of the networks in their own provinces, and only those: the
listing, every object view and the form are limited on the server.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from .roles import is_provincial_officer, is_provincial_officer_for, officer_province_codes

OFFICER_ACTIONS = ("add", "change", "delete", "view")


class CommitteeMembershipPermissionPolicy(ModelPermissionPolicy):
    def _has_model_permission(self, user, actions):
        """Django model permissions (or superuser): rights over every record."""
        return any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions)

    def _officer_may(self, user, action):
        return action in OFFICER_ACTIONS and is_provincial_officer(user)

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or self._officer_may(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if self._has_model_permission(user, [action]):
            return True
        return self._officer_may(user, action) and is_provincial_officer_for(user, instance.network)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if self._has_model_permission(user, actions):
            return queryset
        if any(action in OFFICER_ACTIONS for action in actions):
            codes = officer_province_codes(user)
            if codes:
                return queryset.filter(network__province_code__in=codes)
        return queryset.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])
