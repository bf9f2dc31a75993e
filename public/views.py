"""Public views that are not pages of the tree. Everything here is read-only and shows only what
the public pages show: registry entries (public by law), live public pages."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.geography import province_name
from core.input_checks import BoundedIntError, bounded_int
from core.visibility import visible
from networks.models import NetworkLevel, NetworkPage
from registry.duties import public_reports_by_entry
from registry.fingerprint import normalize_charter_text
from thaisearch.api import SearchInputError
from thaisearch.api import search as thai_search

from .diff import word_diff
from .forms import DEFAULT_REGISTRY_SORT, RegistryFilterForm, SearchForm, TextCheckForm, VerifyForm
from .pdfs import certificate_url
from .registry import (
    DOWNLOAD_FIELDS,
    download_row,
    organization_name,
    public_charter,
    registered_versions,
    registry_entries,
)

REGISTRY_PAGE_SIZE = 50


def filtered_registry(request):
    form = RegistryFilterForm(request.GET or None)
    return form, form.filter(registry_entries())


@require_GET
def registry_list(request):
    form, entries = filtered_registry(request)
    page = Paginator(entries, REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    # The half-year reports filed and accepted (periods and status only), one query for the page.
    reports = public_reports_by_entry([entry.pk for entry in page.object_list])
    for entry in page.object_list:
        entry.half_year_reports_public = reports[entry.pk]
        entry.display_name = organization_name(entry)
        entry.public_charter = public_charter(entry, request)
        entry.province_label = province_name(entry.network.province_code)
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    current_sort = (form.cleaned_data.get("sort") if form.is_bound else "") or DEFAULT_REGISTRY_SORT
    return render(request, "public/registry_list.html", {
        "sort_links": registry_sort_links(unsorted.urlencode(), current_sort),
        "form": form,
        "page_obj": page,
        "entries": page.object_list,
        "query_string": query.urlencode(),
        "csv_url": f"{reverse('public:registry_csv')}?{query.urlencode()}",
        "json_url": f"{reverse('public:registry_json')}?{query.urlencode()}",
    })


def registry_sort_links(query_string, current_sort):
    """{column: (href, aria-sort value)} for the sortable column headers: a second click on a date
    header reverses it."""
    prefix = f"?{query_string}&" if query_string else "?"
    links = {}
    for column, ascending, descending in (("number", "number", None), ("name", "name", None),
                                          ("province", "province", None), ("date", "date", "-date")):
        if current_sort == ascending and descending:
            target, state = descending, "ascending"
        elif current_sort == descending:
            target, state = ascending, "descending"
        else:
            target, state = ascending, "ascending" if current_sort == ascending else None
        links[column] = (f"{prefix}sort={target}", state)
    return links


@require_GET
def registry_csv(request):
    """Open data: exactly the rows the same filter shows on the registry page, in the same order."""
    _form, entries = filtered_registry(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registry.csv"'
    # A byte-order mark so spreadsheet programs read the Thai text as UTF-8.
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=DOWNLOAD_FIELDS)
    writer.writeheader()
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow({k: ("" if v is None else v) for k, v in download_row(entry, request).items()})
    return response


@require_GET
def registry_json(request):
    form, entries = filtered_registry(request)
    rows = [download_row(entry, request) for entry in entries.iterator(chunk_size=2000)]
    payload = {
        "count": len(rows),
        "filters": {k: v for k, v in form.active_filters().items() if k != "sort"},
        "sort": form.active_filters().get("sort", ""),
        "results": rows,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="registry.json"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request, registration_number=None):
    """Is this certificate valid? Anyone may ask, by number; the certificate's QR code links here."""
    if registration_number is None and "number" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            return redirect("public:verify", registration_number=form.cleaned_data["number"])
    else:
        form = VerifyForm(initial={"number": registration_number or ""})
    context = {"form": form, "number": registration_number}
    if registration_number is not None:
        entry = registry_entries().filter(registration_number=registration_number.strip()).first()
        context["entry"] = entry
        if entry is not None:
            amendments = list(entry.amendments.order_by("sequence"))
            versions = registered_versions(entry, amendments)
            context.update(
                display_name=organization_name(entry),
                charter=public_charter(entry, request),
                versions=versions,
                certificate_url=certificate_url(entry),
                text_form=TextCheckForm(request.POST if request.method == "POST" else None),
            )
            if request.method == "POST" and context["text_form"].is_valid():
                context["text_check"] = text_check(context["text_form"], versions)
    status = 404 if registration_number is not None and context.get("entry") is None else 200
    return render(request, "public/verify.html", context, status=status)


def text_check(text_form, versions):
    """Which registered version the pasted text is: byte for byte (the SHA-256 printed on older
    certificates), else after normalizing (spaces, digits, sara am, page furniture)."""
    exact, normalized = text_form.fingerprint(), text_form.normalized_fingerprint()
    exact_variants = text_form.exact_fingerprints()
    version = next((v for v in versions if v.sha256 in exact_variants), None)
    if version is not None:
        return {"sha256": exact, "normalized_sha256": normalized, "version": version, "exact": True}
    version = next((v for v in versions if v.normalized_sha256 == normalized), None)
    return {"sha256": exact, "normalized_sha256": normalized, "version": version, "exact": False}


@require_GET
def verify_text(request, registration_number, index):
    """The text of one registered version as a .txt file: exactly as registered (the SHA-256 of the
    file is the version's SHA-256), or with ?normalized=1 the text the normalized fingerprint is
    computed on."""
    entry = get_object_or_404(registry_entries(), registration_number=registration_number.strip())
    version = next((v for v in registered_versions(entry) if v.index == index), None)
    if version is None:
        raise Http404(_("There is no registered version “%(value)s”.") % {"value": index})
    normalized = request.GET.get("normalized") == "1"
    text = normalize_charter_text(version.text) if normalized else version.text
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    suffix = "-normalized" if normalized else ""
    response["Content-Disposition"] = f'attachment; filename="{entry.registration_number}-{index}{suffix}.txt"'
    return response


@require_GET
def charter_diff(request, entry_id):
    """Word-level differences between two registered versions of one organization's charter."""
    entry = get_object_or_404(registry_entries(), pk=entry_id)
    versions = registered_versions(entry, list(entry.amendments.order_by("sequence")))
    by_index = {v.index: v for v in versions}
    errors = []

    def pick(name, default):
        raw = request.GET.get(name)
        if raw in (None, ""):
            return by_index[default]
        try:
            return by_index[int(raw)]
        except (ValueError, KeyError):
            errors.append(_("There is no registered version “%(value)s”.") % {"value": raw})
            return by_index[default]

    old = pick("from", versions[-2].index if len(versions) > 1 else 0)
    new = pick("to", versions[-1].index)
    if old.index > new.index:
        old, new = new, old
    return render(request, "public/charter_diff.html", {
        "entry": entry,
        "display_name": organization_name(entry),
        "charter": public_charter(entry, request),
        "versions": versions,
        "old": old,
        "new": new,
        "diff": word_diff(old.text, new.text),
        "errors": errors,
    }, status=400 if errors else 200)


@require_GET
def directory(request):
    """The top of the network directory: the national network page."""
    national = visible(NetworkPage.objects.filter(level=NetworkLevel.NATIONAL), request).first()
    if national is None:
        raise Http404(_("The network directory is empty."))
    return redirect(national.get_url(request))


SEARCH_PAGE_SIZE = 20
# Beyond it the offset would overflow the database's integers; no search has that many results.
MAX_SEARCH_PAGE = 10_000


@require_GET
def search(request):
    """Thai search over what the public may read, on the thaisearch engine (it segments Thai words
    and returns live public pages only)."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": "", "result": None}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        kind = form.cleaned_data.get("kind")
        try:
            page_number = bounded_int(request.GET.get("page", "1"), name="page", minimum=1, maximum=MAX_SEARCH_PAGE)
        except BoundedIntError:
            page_number = 1
        try:
            result = thai_search(
                query, kinds=[kind] if kind else None, province_code=form.cleaned_data.get("province") or None,
                offset=(page_number - 1) * SEARCH_PAGE_SIZE, limit=SEARCH_PAGE_SIZE,
            )
        except SearchInputError as error:
            form.add_error(None, str(error))
            result = None
        query_string = request.GET.copy()
        query_string.pop("page", None)
        context.update(
            query=query, result=result, page_number=page_number, query_string=query_string.urlencode(),
            previous_page=page_number - 1 if result and result.has_previous else None,
            next_page=page_number + 1 if result and result.has_next else None,
        )
    return render(request, "public/search.html", context)
