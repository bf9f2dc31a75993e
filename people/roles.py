"""The role API: who holds which role for which network. Every permission check in the project asks here.

`network` may be a NetworkPage, a document page (which carries a `network` FK), or any page under a
network (its nearest NetworkPage ancestor counts). Roles are explicit records: a superuser is not a
chair, an officer or a registrar unless a record says so.

Each user's active roles are read once (one query per kind of role) and cached on the user object,
which Django creates afresh for every request; `clear_role_cache(user)` drops the cache after a
change made within the same request.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from wagtail.models import Page

from core.wagtail_compat import cached_relation
from networks.models import NetworkPage

from .models import (
    LOCAL_OFFICE_AREA_LEVELS,
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


def read_once_per_request(user, key, loader):
    """`loader()`, read once for this user object (a request's user), like the roles here: for a question
    about the user that Wagtail asks several times a request. Cleared with the roles (clear_role_cache)."""
    return _cached(user, key, loader)


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
    return _network_column(obj, "path")


def province_code_of(obj):
    """The province code of the network `obj` belongs to ('' for national and regional networks)."""
    if obj is None:
        return None
    if isinstance(obj, NetworkPage):
        return obj.province_code
    # A document whose network was loaded with select_related needs no query.
    network = cached_relation(obj, "network") if hasattr(obj, "_state") else None
    if isinstance(network, NetworkPage):
        return network.province_code
    return _network_column(obj, "province_code")


def _network_column(obj, column):
    """One column of the network `obj` belongs to (one query, then kept on the object), or None. The
    editor asks a document's province many times in one request (each question of its step's actors)."""
    network_id = network_id_of(obj)
    if network_id is None:
        return None
    kept = obj.__dict__.setdefault("_network_columns", {}) if isinstance(obj, Model) else {}
    if (column, network_id) not in kept:
        kept[column, network_id] = NetworkPage.objects.filter(pk=network_id).values_list(column, flat=True).first()
    return kept[column, network_id]


# --- Committee -----------------------------------------------------------------------------------


def committee_seats(user):
    """(network id, role, network path, level, province code) of each of the user's active memberships,
    by network path: one query, cached like the other roles. The menus, the funds' scopes, the reading
    list and the roles below all read the user's committees from here."""
    if not _has_roles(user):
        return []
    return _cached(
        user,
        "committee",
        lambda: list(
            CommitteeMembership.objects.active()
            .filter(user=user)
            .order_by("network__path")
            .values_list("network_id", "role", "network__path", "network__level", "network__province_code")
        ),
    )


def _committee_roles(user):
    """{network id: role} of the user's active memberships (cached with committee_seats)."""
    return _cached(user, "committee_roles", lambda: {seat[0]: seat[1] for seat in committee_seats(user)})


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


def holds_committee_role(user, roles):
    """Whether the user holds one of `roles` on some network's committee now (cached, as above)."""
    if not _has_roles(user):
        return False
    return any(role in roles for role in _committee_roles(user).values())


def is_on_a_committee(user):
    """Whether the user is an active member of some network's committee now (cached, as above)."""
    return _has_roles(user) and bool(_committee_roles(user))


def is_chair_or_secretary_anywhere(user):
    """Whether the user chairs, or is secretary of, some network's committee (cached, as above)."""
    return holds_committee_role(user, (CommitteeRole.CHAIR, CommitteeRole.SECRETARY))


def committee_users(network, roles=None):
    """The active accounts on the network's committee now, only those holding one of `roles` if given
    (the people a committee step or a committee reminder is for)."""
    memberships = CommitteeMembership.objects.active().filter(network=network)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return get_user_model().objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def committee_networks(user):
    """The networks whose committee the user is an active member of."""
    if not _has_roles(user):
        return NetworkPage.objects.none()
    return NetworkPage.objects.filter(
        committee_memberships__user=user, committee_memberships__ended_on__isnull=True
    ).order_by("path")


# --- Local government offices --------------------------------------------------------------------


def _local_office_assignments(user):
    """(network id, network path, serves the networks below) of the user's active offices (one query, cached)."""
    return _cached(
        user,
        "local_office",
        lambda: tuple(
            (network_id, path, level in LOCAL_OFFICE_AREA_LEVELS)
            for network_id, path, level in LocalOfficeAssignment.objects.active()
            .filter(user=user)
            .values_list("network_id", "network__path", "network__level")
        ),
    )


def is_local_office_for(user, network):
    """The user's local office serves this network: it is assigned to the network itself, or to a
    district or tambon network above it (a municipality serves the tambon funds of its district).
    An office assigned to a provincial network (the อบจ.) serves that network only, never the
    districts and tambons of its province, which have local offices of their own."""
    if not _has_roles(user):
        return False
    assignments = _local_office_assignments(user)
    if not assignments:
        return False
    own_ids = {network_id for network_id, _path, serves_below in assignments if not serves_below}
    if own_ids and network_id_of(network) in own_ids:
        return True
    area_paths = [path for _network_id, path, serves_below in assignments if serves_below]
    if not area_paths:
        return False
    path = _path_of(network)
    return bool(path) and any(path.startswith(assigned) for assigned in area_paths)


def is_local_office(user):
    """Whether the user serves in some local government office now (cached, as above)."""
    return _has_roles(user) and bool(_local_office_assignments(user))


def local_office_networks(user):
    """The networks the user's local office is assigned to (not the networks below them)."""
    if not _has_roles(user):
        return NetworkPage.objects.none()
    return NetworkPage.objects.filter(
        local_office_assignments__user=user, local_office_assignments__ended_on__isnull=True
    ).order_by("path")


def local_office_network_filter(user, field="path"):
    """A Q matching networks (by their `path`) served by the user's local office: a provincial
    network exactly, a district or tambon network with the networks below it."""
    assignments = _local_office_assignments(user) if _has_roles(user) else ()
    query = Q(pk__in=[])
    for _network_id, path, serves_below in assignments:
        query |= Q(**{f"{field}__startswith" if serves_below else field: path})
    return query


def local_office_assignments_serving(network):
    """The active local office assignments that serve `network` (a NetworkPage): those assigned to it,
    and those of the district or tambon networks above it. The same rule as is_local_office_for."""
    above = Page.objects.ancestor_of(network, inclusive=False).values("pk")
    return LocalOfficeAssignment.objects.active().filter(
        Q(network_id=network.pk) | Q(network_id__in=above, network__level__in=LOCAL_OFFICE_AREA_LEVELS)
    )


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
