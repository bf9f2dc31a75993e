from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from .lockouts import LoginLockoutsView
from .models import CommitteeMembership
from .onboarding import InvitePersonView
from .permissions import CommitteeMembershipPermissionPolicy
from .roles import officer_province_codes
from .views import PeopleViewSetGroup

register_permission_policy(CommitteeMembership, CommitteeMembershipPermissionPolicy(CommitteeMembership))


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


@hooks.register("register_admin_urls")
def register_login_lockout_urls():
    return [path("login-lockouts/", LoginLockoutsView.as_view(), name="people_login_lockouts")]


@hooks.register("register_admin_urls")
def register_onboarding_urls():
    return [path("people/invite/", InvitePersonView.as_view(), name="people_invite_person")]


class ProvincialOfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(officer_province_codes(request.user))


@hooks.register("register_admin_menu_item")
def register_invite_person_menu_item():
    return ProvincialOfficerMenuItem(_("Invite a person"), reverse("people_invite_person"), icon_name="user", order=850)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_login_lockouts_menu_item():
    return SuperuserMenuItem(_("Login lockouts"), reverse("people_login_lockouts"), icon_name="lock", order=900)


# The admin under the Content-Security-Policy: no style attribute, no inline script (static/js/admin-csp.js).
@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}">',
        static("css/fonts.css"), static("css/admin.css"),
    )


@hooks.register("insert_global_admin_js")
def admin_csp_js():
    return format_html('<script src="{}"></script>', static("js/admin-csp.js"))
