"""The role API: who holds which role for which network. Every permission check in the project asks here.

`network` may be a NetworkPage, a document page (which carries a `network` FK), or any page under a
network (its nearest NetworkPage ancestor counts). Roles are explicit records: a superuser is not a
chair, an officer or a registrar unless a record says so.

Each user's active roles are read once (one query per kind of role) and cached on the user object,
which Django creates afresh for every request; `clear_role_cache(user)` drops the cache after a
change made within the same request.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page

from pages.models import NetworkPage

from .models import (
    CommitteeMembership,
    CommitteeRole,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)

CACHE_ATTR = "_people_role_cache"


def _has_roles(user):
    """Only active, signed-in accounts hold roles (as Django's own permission checks assume)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.pk)


def _cache(user):
    cache = user.__dict__.get(CACHE_ATTR)
    if cache is None:
        cache = {}
        user.__dict__[CACHE_ATTR] = cache
    return cache


def clear_role_cache(user):
    if user is not None:
        user.__dict__.pop(CACHE_ATTR, None)


def _cached(user, key, loader):
    cache = _cache(user)
    if key not in cache:
        cache[key] = loader()
    return cache[key]


# --- Resolving the network of an object ----------------------------------------------------------


def _network_page_content_type_id():
    return ContentType.objects.get_for_model(NetworkPage).id


def network_id_of(obj):
    """The id of the network `obj` belongs to: itself if it is a network, else the nearest network above it."""
    if obj is None:
        return None
    if isinstance(obj, NetworkPage):
        return obj.pk
    if isinstance(obj, int):
        return obj
    network_id = getattr(obj, "network_id", None)
    if network_id is not None:
        return network_id
    if isinstance(obj, Page):
        if obj.content_type_id == _network_page_content_type_id():
            return obj.pk
        return (
            Page.objects.ancestor_of(obj, inclusive=True)
            .filter(content_type_id=_network_page_content_type_id())
            .order_by("-depth")
            .values_list("pk", flat=True)
            .first()
        )
    return None


def _path_of(obj):
    """The tree path of `obj` (a page); for anything else, of its network."""
    if isinstance(obj, Page) and obj.path:
        return obj.path
    network_id = network_id_of(obj)
    if network_id is None:
        return None
    return Page.objects.filter(pk=network_id).values_list("path", flat=True).first()


def province_code_of(obj):
    """The province code of the network `obj` belongs to ('' for national and regional networks)."""
    if obj is None:
        return None
    if isinstance(obj, NetworkPage):
        return obj.province_code
    # A document whose network was loaded with select_related needs no query.
    state = getattr(obj, "_state", None)
    network = state.fields_cache.get("network") if state is not None else None
    if isinstance(network, NetworkPage):
        return network.province_code
    network_id = network_id_of(obj)
    if network_id is None:
        return None
    return NetworkPage.objects.filter(pk=network_id).values_list("province_code", flat=True).first()


# --- Committee -----------------------------------------------------------------------------------


def _committee_roles(user):
    """{network id: role} of the user's active memberships (one query, cached)."""
    return _cached(
        user,
        "committee",
        lambda: dict(
            CommitteeMembership.objects.active().filter(user=user).values_list("network_id", "role")
        ),
    )


def committee_role(user, network):
    """'member', 'secretary' or 'chair' if the user holds an active membership of exactly this
    network's committee, else None."""
    if not _has_roles(user):
        return None
    roles = _committee_roles(user)
    if not roles:
        return None
    return roles.get(network_id_of(network))


def is_committee_member(user, network):
    """Any active committee role (member, secretary or chair) on this network."""
    return committee_role(user, network) is not None


def is_chair_or_secretary(user, network):
    return committee_role(user, network) in (CommitteeRole.CHAIR, CommitteeRole.SECRETARY)


def committee_networks(user):
    """The networks whose committee the user is an active member of."""
    if not _has_roles(user):
        return NetworkPage.objects.none()
    return NetworkPage.objects.filter(
        committee_memberships__user=user, committee_memberships__ended_on__isnull=True
    ).order_by("path")


# --- Local government offices --------------------------------------------------------------------


def _local_office_paths(user):
    return _cached(
        user,
        "local_office",
        lambda: tuple(
            LocalOfficeAssignment.objects.active().filter(user=user).values_list("network__path", flat=True)
        ),
    )


def is_local_office_for(user, network):
    """The user serves this network's area: assigned to the network itself or to a network above it
    (a district office serves the district's tambons)."""
    if not _has_roles(user):
        return False
    paths = _local_office_paths(user)
    if not paths:
        return False
    path = _path_of(network)
    return bool(path) and any(path.startswith(assigned) for assigned in paths)


def local_office_networks(user):
    """The networks the user's local office serves directly (not their descendants)."""
    if not _has_roles(user):
        return NetworkPage.objects.none()
    return NetworkPage.objects.filter(
        local_office_assignments__user=user, local_office_assignments__ended_on__isnull=True
    ).order_by("path")


def local_office_network_filter(user, field="path"):
    """A Q matching pages (by their `path`) in the area served by the user's local office."""
    paths = _local_office_paths(user) if _has_roles(user) else ()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


# --- Provincial officers, registrars, support staff ----------------------------------------------


def officer_province_codes(user):
    """Codes of the provinces the user is an active provincial officer of."""
    if not _has_roles(user):
        return set()
    return set(
        _cached(
            user,
            "officer",
            lambda: frozenset(
                ProvincialOfficerAssignment.objects.active().filter(user=user).values_list("province_code", flat=True)
            ),
        )
    )


def is_provincial_officer(user):
    return bool(officer_province_codes(user))


def is_provincial_officer_for(user, network):
    codes = officer_province_codes(user)
    if not codes:
        return False
    return province_code_of(network) in codes


def is_registrar(user):
    if not _has_roles(user):
        return False
    return _cached(user, "registrar", lambda: RegistrarAssignment.objects.active().filter(user=user).exists())


def is_support_staff(user):
    if not _has_roles(user):
        return False
    return _cached(user, "support", lambda: SupportStaffAssignment.objects.active().filter(user=user).exists())
