from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import CommitteeMembership
from .permissions import CommitteeMembershipPermissionPolicy
from .views import PeopleViewSetGroup

register_permission_policy(CommitteeMembership, CommitteeMembershipPermissionPolicy(CommitteeMembership))


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
