"""Who may manage the role records in the admin.

Superusers and holders of the Django model permissions manage every record. A provincial officer
manages the committee memberships of the networks in their own provinces, and only those: the
listing, every object view and the form are limited on the server.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from networks.models import NetworkPage

from .roles import (
    committee_seats,
    is_local_office,
    is_local_office_for,
    is_on_a_committee,
    is_provincial_officer,
    is_provincial_officer_for,
    is_registrar,
    is_support_staff,
    officer_province_codes,
)

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


# --- Page permissions scoped to one network ---------------------------------------------------------


def _network_content_type_id():
    return ContentType.objects.get_for_model(NetworkPage).id


def grant_reaches(grant_page, page):
    """Whether a page permission granted on `grant_page` covers `page`.

    Wagtail lets a permission flow down the whole subtree. A grant on a network (a committee's group)
    stops at the networks below it: it covers the network page and the documents directly under it,
    never a sub-network or its documents (each tambon fund is an organization of its own, with its own
    committee). A grant on any other page (the root, for an editors' group made by hand) flows down
    as in Wagtail.
    """
    if not page.path or not page.path.startswith(grant_page.path):
        return False
    network_type = _network_content_type_id()
    if grant_page.content_type_id != network_type or page.path == grant_page.path:
        return True
    return page.depth == grant_page.depth + 1 and page.content_type_id != network_type


class NetworkScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy with grants on a network stopped at the networks below it
    (`grant_reaches`). Registered for every page model, so that the editor, the explorer, the
    workflow reports, the admin search and the dashboard panels all apply the same scope."""

    def __call__(self, page):
        # Wagtail's registry calls a callable policy with the page (core.wagtail_compat): the
        # permission tester then sees only the grants that reach this page.
        return PageBoundPermissionPolicy(self.model, page)

    def _scope(self, grant_page):
        """The pages a grant on `grant_page` covers, as a queryset."""
        pages = self.model._default_manager
        if grant_page.content_type_id != _network_content_type_id():
            return pages.descendant_of(grant_page, inclusive=True)
        return pages.filter(
            Q(pk=grant_page.pk)
            | (
                Q(path__startswith=grant_page.path, depth=grant_page.depth + 1)
                & ~Q(content_type_id=_network_content_type_id())
            )
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base_permission = self._base_user_has_permission(user)
        if base_permission is not None:
            return base_permission
        permissions = set()
        for perm in self.get_cached_permissions_for_user(user):
            if grant_reaches(perm.page, instance):
                permissions.add(perm.permission.codename)
                if perm.permission.codename == self._get_permission_codename("add") and instance.owner_id == user.pk:
                    permissions.add(self._get_permission_codename("change"))
        return bool(self._get_permission_codenames(actions) & permissions)

    def instances_user_has_any_permission_for(self, user, actions):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        pages = self.model._default_manager.none()
        for perm in self.get_cached_permissions_for_user(user):
            codename = perm.permission.codename
            if codename == self._get_permission_codename("add") and "add" not in actions and "change" in actions:
                pages |= self._scope(perm.page).filter(owner=user)
            elif codename in self._get_permission_codenames(actions):
                pages |= self._scope(perm.page)
        return pages

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        # Only the grants that reach the instance: those on its own network, or on pages above it
        # that are not networks.
        ancestors = [page for page in instance.get_ancestors(inclusive=True) if grant_reaches(page, instance)]
        grants = GroupPagePermission.objects.filter(page__in=ancestors)
        groups = grants.filter(permission__codename__in=self._get_permission_codenames(actions)).values_list(
            "group", flat=True
        )
        query = Q(groups__in=groups)
        if include_superusers:
            query |= Q(is_superuser=True)
        if "change" in actions and "add" not in actions:
            add_groups = grants.filter(permission__codename=self._get_permission_codename("add")).values_list(
                "group", flat=True
            )
            query |= Q(groups__in=add_groups) & Q(pk=instance.owner_id)
        return get_user_model()._default_manager.filter(is_active=True).filter(query).distinct()


class PageBoundPermissionPolicy(NetworkScopedPagePermissionPolicy):
    """The policy as seen from one page: the user's grants are only those that reach it."""

    def __init__(self, model, page):
        super().__init__(model)
        self.page = page

    def get_cached_permissions_for_user(self, user):
        return [perm for perm in super().get_cached_permissions_for_user(user) if grant_reaches(perm.page, self.page)]


# --- Reading documents in the admin -----------------------------------------------------------------


def reads_documents(user):
    """Whether the user holds a role that reads some network's documents (may_read_document below): asked
    on every admin page for the menu, so only from the roles read once per request, with no query of its
    own. Documents not written yet are not asked about: the reading list says there are none."""
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_superuser or is_registrar(user) or is_support_staff(user) or is_provincial_officer(user)
        or is_local_office(user) or is_on_a_committee(user)
    )


def may_read_document(user, page):
    """Who may read a network's document in the admin (its draft, its revisions, its history), without
    writing it: the committee of its network or of any network above it (a higher network reads the
    funds below it), its reviewers (the local office serving it, the officer of its province), the
    registrar, CODI support staff (across networks) and administrators."""
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or is_registrar(user) or is_support_staff(user):
        return True
    if is_local_office_for(user, page) or is_provincial_officer_for(user, page):
        return True
    own = {seat[0] for seat in committee_seats(user)}
    if not own:
        return False
    above = Page.objects.ancestor_of(page, inclusive=True).values_list("pk", flat=True)
    return bool(own.intersection(above))
