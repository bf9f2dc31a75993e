"""Read-only JSON API for networks, registered charters and the registry.

It publishes exactly what the public pages publish: live pages without view restrictions, and the
registry (registered and revoked entries, both public). Lists are paginated with `limit` and `offset`
(as in Wagtail's API v2) and every response runs a fixed number of queries.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.input_checks import MAX_ID, BoundedIntError, bounded_int
from core.visibility import visible
from networks.models import NetworkLevel
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage

from .context import NETWORK_LISTING_FIELDS, public_networks
from .forms import RegistryFilterForm
from .links import absolute_reverse, page_full_url
from .registry import download_row, organization_name, registered_versions, registry_entries

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far beyond the 7,436 tambons; a larger offset would overflow the database's LIMIT/OFFSET integers.
MAX_OFFSET = 1_000_000


class BadRequest(Exception):
    pass


def _json(payload, status=200):
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_view(view):
    def wrapped(request, *args, **kwargs):
        try:
            return _json(view(request, *args, **kwargs))
        except BadRequest as error:
            return _json({"message": str(error)}, status=400)
        except Http404 as error:
            return _json({"message": str(error) or _("Not found.")}, status=404)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_GET(wrapped)


def _int_param(request, name, default, minimum=0, maximum=MAX_ID):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        return bounded_int(raw, name=name, minimum=minimum, maximum=maximum)
    except BoundedIntError as error:
        raise BadRequest(str(error)) from None


def paginate(request, queryset):
    limit = _int_param(request, "limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    offset = _int_param(request, "offset", 0, maximum=MAX_OFFSET)
    total = queryset.count()
    return total, list(queryset[offset: offset + limit])


def _absolute(request, name, *args):
    return absolute_reverse(request, name, *args)


@api_view
def index(request):
    return {
        "endpoints": {
            "networks": _absolute(request, "public:api_networks"),
            "charters": _absolute(request, "public:api_charters"),
            "registry": _absolute(request, "public:api_registry"),
        }
    }


# --- Networks ------------------------------------------------------------------------------------


def _registrations_by_network(network_ids):
    return {entry.network_id: entry for entry in registry_entries().filter(network_id__in=network_ids)}


def _registration_of(network_id):
    return _registrations_by_network([network_id]).get(network_id)


def _first_or_404(queryset, not_found, **lookup):
    """The first row of `queryset` matching `lookup`; a 404 saying `not_found` when none does."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(not_found)
    return found


def _registered_versions(entry):
    return [
        {"index": v.index, "label": v.label, "registered_on": v.registered_on.isoformat(), "text_sha256": v.sha256,
         "normalized_sha256": v.normalized_sha256}
        for v in (registered_versions(entry) if entry else [])
    ]


def _registration_summary(request, entry):
    if entry is None:
        return None
    return {
        "registration_number": entry.registration_number,
        "organization_name": organization_name(entry),
        "status": entry.status,
        "registered_on": entry.registered_on.isoformat(),
        "revoked_on": entry.revoked_on.isoformat() if entry.revoked_on else None,
        "dissolved_on": entry.dissolved_on.isoformat() if entry.dissolved_on else None,
        "detail_url": _absolute(request, "public:api_registry_entry", entry.registration_number),
    }


def _network_item(request, network, entry):
    return {
        "id": network.pk,
        "title": network.title,
        "name_en": network.name_en,
        "level": network.level,
        "area_code": network.area_code,
        "province_code": network.province_code,
        "children": network.numchild,
        "html_url": page_full_url(request, network),
        "detail_url": _absolute(request, "public:api_network", network.pk),
        "registration": _registration_summary(request, entry),
    }


@api_view
def network_list(request):
    """Filters: level, province (code), parent (network id)."""
    networks = public_networks(request).only(*NETWORK_LISTING_FIELDS).order_by("path")
    level = request.GET.get("level")
    if level:
        if level not in NetworkLevel.values:
            raise BadRequest(_("Unknown level “%(level)s”.") % {"level": level})
        networks = networks.filter(level=level)
    if request.GET.get("province"):
        networks = networks.filter(province_code=request.GET["province"])
    if request.GET.get("parent"):
        parent = _first_or_404(public_networks(request), _("No such network."), pk=_int_param(request, "parent", None))
        networks = networks.child_of(parent)
    total, items = paginate(request, networks)
    entries = _registrations_by_network([n.pk for n in items])
    return {
        "meta": {"total_count": total},
        "items": [_network_item(request, n, entries.get(n.pk)) for n in items],
    }


def _document_items(request, model, network, fields, extra):
    pages = visible(model.objects.child_of(network), request).only(
        "id", "title", "slug", "url_path", "path", "depth", "live", "locale_id", *fields
    )
    return [{"id": p.pk, "title": p.title, "html_url": page_full_url(request, p), **extra(p)} for p in pages]


@api_view
def network_detail(request, pk):
    network = _first_or_404(public_networks(request), _("No such network."), pk=pk)
    item = _network_item(request, network, _registration_of(network.pk))
    item.update({
        "office_address": network.office_address,
        "member_organization_count": network.member_organization_count,
        "member_count": network.member_count,
        "welfare_started_on": network.welfare_started_on.isoformat() if network.welfare_started_on else None,
        "charters": _document_items(request, CharterPage, network, ["version_label"], lambda p: {
            "version_label": p.version_label,
            "detail_url": _absolute(request, "public:api_charter", p.pk),
        }),
        "action_plans": _document_items(request, ActionPlanPage, network, ["fiscal_year"], lambda p: {
            "fiscal_year": p.fiscal_year,
        }),
        "minutes": _document_items(
            request, MeetingMinutesPage, network, ["meeting_number", "buddhist_year", "meeting_date"],
            lambda p: {"number": p.number_label, "meeting_date": p.meeting_date.isoformat()},
        ),
    })
    return item


# --- Charters ------------------------------------------------------------------------------------


def public_charters(request):
    return visible(CharterPage.objects.all(), request)


def _charter_item(request, charter):
    """What the list and the detail of a charter both say of it."""
    return {
        "id": charter.pk,
        "title": charter.title,
        "version_label": charter.version_label,
        "network_id": charter.network_id,
        "html_url": page_full_url(request, charter),
    }


@api_view
def charter_list(request):
    """Filters: province (code), network (id)."""
    charters = public_charters(request).defer("chapters", "body_text", "preamble").order_by("path")
    if request.GET.get("province"):
        charters = charters.filter(network__province_code=request.GET["province"])
    if request.GET.get("network"):
        charters = charters.filter(network_id=_int_param(request, "network", None))
    total, items = paginate(request, charters)
    entries = _registrations_by_network([c.network_id for c in items if c.network_id])
    return {
        "meta": {"total_count": total},
        "items": [
            {
                **_charter_item(request, c),
                "detail_url": _absolute(request, "public:api_charter", c.pk),
                "registration": _registration_summary(request, entries.get(c.network_id)),
            }
            for c in items
        ],
    }


@api_view
def charter_detail(request, pk):
    charter = _first_or_404(public_charters(request), _("No such charter."), pk=pk)
    entry = _registration_of(charter.network_id)
    return {
        **_charter_item(request, charter),
        "preamble": charter.preamble,
        "chapters": [
            {
                "number": chapter_no,
                "title": title,
                "clauses": [{"number": clause_no, "text": text} for clause_no, text in clauses],
            }
            for chapter_no, title, clauses in charter.numbered_chapters()
        ],
        "registration": _registration_summary(request, entry),
        "registered_versions": _registered_versions(entry),
    }


# --- Registry ------------------------------------------------------------------------------------


@api_view
def registry_list(request):
    """The registry page's filters (province, year in B.E., status, sort), paginated."""
    form = RegistryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    total, items = paginate(request, form.filter(registry_entries()))
    return {"meta": {"total_count": total}, "items": [download_row(entry, request) for entry in items]}


@api_view
def registry_detail(request, registration_number):
    entry = _first_or_404(
        registry_entries(), _("No registration has this number."), registration_number=registration_number
    )
    return {**download_row(entry, request), "registered_versions": _registered_versions(entry)}
