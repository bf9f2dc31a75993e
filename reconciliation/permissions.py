"""Who may see and do what in the reconciliation, checked on the server by every view.

- Support staff (พอช.) and provincial officers of a province import its sources, choose the fund of an
  ambiguous row and resolve disagreements (funds.permissions.provinces_user_can_manage).
- Committees read their area: a provincial committee (or one above the province) the whole province,
  a district committee its district, a tambon fund's committee its own fund. They read the comparison,
  never the raw rows nobody has matched yet.
- Nobody else sees anything.
"""

from django.db.models import Q

from funds.permissions import committee_networks_of, provinces_user_can_manage
from networks.models import NetworkPage


def can_manage(user, province_code):
    return bool(province_code) and province_code in provinces_user_can_manage(user)


def _committee_paths(user):
    """(path, province code) of the user's committee networks. The funds app reads (and caches on the
    user) the same list for its menu, so the reconciliation's menu item costs no query of its own."""
    return [(path, province_code) for _pk, path, _level, province_code in committee_networks_of(user)]


def readable_paths(user, province_network):
    """Tree paths whose funds the user may read in this province: [the province's path] for the whole
    province, the paths of their networks inside it, or []."""
    if can_manage(user, province_network.province_code):
        return [province_network.path]
    paths = []
    for path, _province_code in _committee_paths(user):
        if province_network.path.startswith(path):
            return [province_network.path]
        if path.startswith(province_network.path):
            paths.append(path)
    return paths


def readable_provinces(user):
    """Province codes the user may open in the reconciliation, sorted."""
    codes = set(provinces_user_can_manage(user))
    for path, province_code in _committee_paths(user):
        if province_code:
            codes.add(province_code)
        else:  # a regional or national committee reads every province below it
            codes.update(NetworkPage.objects.filter(path__startswith=path, level="province")
                         .values_list("province_code", flat=True))
    return sorted(codes)


def path_filter(paths):
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return query
