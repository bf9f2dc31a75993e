"""Who may see, correct and grade a fund, always checked on the server.

- Support staff (พอช.) and provincial officers manage the funds of their provinces: import, resolve,
  grade (`provinces_user_can_manage`). Support staff work across the country: their record names an
  office, not a province, so they manage every province; a superuser too.
- The committee of the fund's own network, and of the networks above it inside the province (zone,
  district, province), may correct the fund's figures and enter its yearly reports (`can_edit_fund`).
- Committees of the networks above the province (region, national) and the local offices serving
  the fund read it (`can_view_fund`); nobody else does.
"""

from django.db.models import Q

from core.geography import province_codes
from networks.models import NetworkLevel, NetworkPage
from people import roles

# The levels whose committee may correct the funds below it, besides the fund's own committee.
EDITING_LEVELS = (NetworkLevel.PROVINCE, NetworkLevel.ZONE, NetworkLevel.DISTRICT)


def _signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def provinces_user_can_manage(user):
    """The codes of the provinces whose funds the user may import, resolve and grade (a frozenset)."""
    if not _signed_in(user):
        return frozenset()
    if user.is_superuser or roles.is_support_staff(user):
        return frozenset(province_codes())
    return frozenset(roles.officer_province_codes(user))


def can_manage_province(user, province_code):
    return bool(province_code) and province_code in provinces_user_can_manage(user)


def _committee_networks(user):
    """(id, path, level, province code) of the networks the user is on the committee of (roles.committee_seats,
    read once per request)."""
    return [(pk, path, level, province) for pk, _role, path, level, province in roles.committee_seats(user)]


def committee_networks_of(user):
    """(id, path, level, province code) of the networks whose committee the user is on."""
    return _committee_networks(user) if _signed_in(user) else []


def has_fund_access(user):
    """The user may open the funds' screens at all: a manager, a committee member or a local office."""
    if not _signed_in(user):
        return False
    return bool(provinces_user_can_manage(user) or _committee_networks(user) or roles.is_local_office(user))


def _network(network):
    if isinstance(network, NetworkPage):
        return network
    return NetworkPage.objects.get(pk=roles.network_id_of(network))


def _on_committee_at_or_above(user, network):
    """The user is on the committee of `network` or of a network above it."""
    return any(network.path.startswith(path) for _pk, path, _level, _province in _committee_networks(user))


def editing_committee_network(user, network):
    """The id of the network whose committee lets the user correct this fund (its own or one above it in
    the province), or None."""
    if not _signed_in(user):
        return None
    network = _network(network)
    if any(pk == network.pk for pk, _path, _level, _province in _committee_networks(user)):
        return network.pk
    for pk, path, level, _province in _committee_networks(user):
        if network.path.startswith(path) and level in EDITING_LEVELS:
            return pk
    return None


def can_edit_fund(user, network):
    """The fund's own committee, the committees above it in its province, or a superuser."""
    if not _signed_in(user):
        return False
    return user.is_superuser or editing_committee_network(user, network) is not None


def can_view_fund(user, network):
    if not _signed_in(user):
        return False
    network = _network(network)
    if can_manage_province(user, network.province_code):
        return True
    if _on_committee_at_or_above(user, network):
        return True
    return roles.is_local_office_for(user, network)


def visible_networks_filter(user):
    """A Q over NetworkPage matching the networks whose funds the user may see (none for a stranger)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    provinces = provinces_user_can_manage(user)
    if len(provinces) == len(province_codes()):
        return Q()  # the whole country: no filter of 77 codes
    query = Q(province_code__in=provinces)
    for _pk, path, _level, _province in _committee_networks(user):
        query |= Q(path__startswith=path)
    query |= roles.local_office_network_filter(user)
    return query


def can_view_summary(user, province_code, district_code=""):
    """The province's summary: its managers and its provincial committee; a district's summary also
    the district's committee."""
    if not _signed_in(user) or not province_code:
        return False
    if can_manage_province(user, province_code):
        return True
    for _pk, _path, level, province in _committee_networks(user):
        if province != province_code:
            continue
        if level == NetworkLevel.PROVINCE:
            return True
    if district_code:
        return NetworkPage.objects.filter(
            level=NetworkLevel.DISTRICT, area_code=district_code,
            pk__in=[pk for pk, _path, level, _province in _committee_networks(user) if level == NetworkLevel.DISTRICT],
        ).exists()
    return False


def summary_districts(user, province_code):
    """The district codes of the province whose summary the user may see alone ("*" for all of them)."""
    if can_view_summary(user, province_code):
        return "*"
    codes = {
        area for area in NetworkPage.objects.filter(
            pk__in=[pk for pk, _path, level, _p in _committee_networks(user) if level == NetworkLevel.DISTRICT],
            province_code=province_code,
        ).values_list("area_code", flat=True)
    } if _signed_in(user) else set()
    return codes


def may_see_a_summary(user):
    """A manager, or on the committee of a provincial or district network (the Summaries menu item)."""
    if not _signed_in(user):
        return False
    return bool(provinces_user_can_manage(user)) or any(
        level in (NetworkLevel.PROVINCE, NetworkLevel.DISTRICT) for _pk, _path, level, _p in _committee_networks(user)
    )


def can_grade(user, assessment_round):
    """Managers of the round's province, and the assessors the round names."""
    if not _signed_in(user):
        return False
    if can_manage_province(user, assessment_round.province_code):
        return True
    return assessment_round.assessors.filter(pk=user.pk).exists()
