"""Template context of the public pages of the tree. The page models' get_context() ask for it through
core.providers.public_context, which public.apps fills with page_context(); each page runs a fixed
number of queries however many networks or registrations there are."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext
from wagtail.models import Page

from core.geography import province_name
from core.thaidate import thai_numerals
from core.visibility import visible
from documents.minutes import minutes_quorum, present_members_with_committee_size
from documents.models import DocumentKind, GeneratedDocument
from networks.models import ROUTE_FIELDS, ROUTE_NETWORK_FIELDS, HomePage, NetworkLevel, NetworkPage
from pages.doctypes import document_types
from pages.models import ActionPlanPage, BudgetSource, CharterPage, MeetingMinutesPage
from registry.models import RegistryAmendment, RegistryEntry, RegistryStatus

from .cache import REGISTRY, SITE, remember
from .registry import organization_name, public_charter, registered_versions, registry_entries

NEWEST_REGISTRATIONS = 8
CHILDREN_PER_PAGE = 60

# Listing columns only: a directory page of a thousand tambons must not load their text fields.
CHARTER_LINK_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "version_label", "live", "locale_id")
NETWORK_LISTING_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "numchild", "live",
                          "name_en", "level", "area_code", "province_code", "locale_id")


# Column of NetworkPage -> key of a row of pages.models.HomePage.route.
_ROUTED_COLUMNS = {
    **{name: name for name in ROUTE_FIELDS},
    "page_ptr_id": "id",
    **{name: f"networkpage__{name}" for name in ROUTE_NETWORK_FIELDS},
}


def public_networks(request=None):
    return visible(NetworkPage.objects.all(), request)


def branch_counts(parent, request=None):
    """Counts under each child of `parent`, from two grouped queries over the subtree:
    ({child path: {level: live networks below the child}}, {child path: registered organizations at or
    below the child}). Kept in the public cache until something below `parent`, a view restriction or
    the registry changes: the same for every reader (restricted subtrees are hidden from all)."""
    return remember(
        f"branch-counts:{parent.path}",
        [SITE, REGISTRY, f"below:{parent.path}"],
        lambda: _branch_counts(parent, request),
    )


def _branch_counts(parent, request):
    child_depth = parent.depth + 1
    prefix_length = Page.steplen * child_depth
    networks = {}
    rows = (
        public_networks(request)
        .filter(path__startswith=parent.path, depth__gt=child_depth)
        .annotate(branch=Substr("path", 1, prefix_length))
        .values("branch", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        networks.setdefault(row["branch"], {})[row["level"]] = row["n"]
    registered = dict(
        RegistryEntry.objects.filter(
            status=RegistryStatus.REGISTERED,
            network__path__startswith=parent.path,
            network__depth__gte=child_depth,
        )
        .annotate(branch=Substr("network__path", 1, prefix_length))
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("branch", "n")
    )
    return networks, registered


def area_counts(root, request=None):
    """(public networks at or below `root`, registered organizations at or below it): the one
    definition of "how many" that the home page (root: the home page, so every network) and each
    directory page (root: that network, itself included) show, so that their numbers agree. Two
    counting queries, kept in the public cache like branch_counts."""
    return remember(
        f"area-counts:{root.path}",
        [SITE, REGISTRY, f"node:{root.path}", f"below:{root.path}"],
        lambda: _area_counts(root, request),
    )


def _area_counts(root, request):
    networks = public_networks(request).filter(path__startswith=root.path).count()
    registered = RegistryEntry.objects.filter(
        status=RegistryStatus.REGISTERED, network__path__startswith=root.path
    ).count()
    return networks, registered


LEVEL_ORDER = [NetworkLevel.REGION, NetworkLevel.PROVINCE, NetworkLevel.ZONE, NetworkLevel.DISTRICT,
               NetworkLevel.TAMBON]


def level_counts(counts_by_level):
    """[(level label, count), ...] from the top of the tree down."""
    return [(NetworkLevel(level).label, counts_by_level[level]) for level in LEVEL_ORDER if counts_by_level.get(level)]


def province_counts(request):
    """({province code: live networks}, {province code: registered organizations}), two grouped queries
    over the whole tree (kept in the public cache by home_context)."""
    networks_by_province = dict(
        public_networks(request).exclude(province_code="").values("province_code").annotate(n=Count("pk"))
        .order_by().values_list("province_code", "n")
    )
    registered_by_province = dict(
        RegistryEntry.objects.filter(status=RegistryStatus.REGISTERED)
        .values("network__province_code").annotate(n=Count("pk")).order_by()
        .values_list("network__province_code", "n")
    )
    return networks_by_province, registered_by_province


def home_context(page, request):
    top = list(public_networks(request).filter(level__in=[NetworkLevel.NATIONAL, NetworkLevel.REGION])
               .only(*NETWORK_LISTING_FIELDS))
    regions = [network for network in top if network.level == NetworkLevel.REGION]
    national = next((network for network in top if network.level == NetworkLevel.NATIONAL), None)

    networks_by_province, registered_by_province = remember(
        f"province-counts:{page.path}", [SITE, REGISTRY, f"below:{page.path}"],
        lambda: province_counts(request),
    )
    # Each region and everything below it, counted as its directory page counts (by the tree, like
    # area_counts): the region itself included.
    networks_below, registered_below = branch_counts(national, request) if national else ({}, {})
    region_rows = [
        {
            "network": region,
            "networks": 1 + sum(networks_below.get(region.path, {}).values()),
            "registered": registered_below.get(region.path, 0),
        }
        for region in regions
    ]
    province_rows = sorted(
        (
            {
                "code": code,
                "name": province_name(code),
                "networks": networks_by_province.get(code, 0),
                "registered": registered_by_province.get(code, 0),
            }
            for code in set(networks_by_province) | {c for c in registered_by_province if c}
        ),
        key=lambda row: (-row["registered"], row["name"]),
    )
    newest = list(
        registry_entries().filter(status=RegistryStatus.REGISTERED).order_by("-registered_on", "-pk")[
            :NEWEST_REGISTRATIONS
        ]
    )
    for entry in newest:
        entry.display_name = organization_name(entry)
        entry.public_charter = public_charter(entry, request)
    network_count, registered_count = area_counts(page, request)
    return {
        "national": national,
        "network_count": network_count,
        "registered_count": registered_count,
        "region_rows": region_rows,
        "province_rows": province_rows,
        "newest_registrations": newest,
    }


def breadcrumbs(page, request=None):
    """The networks above `page`, national first; a document's own network included. No query for a
    page the home page routed (it read them on the way), else one."""
    routed = getattr(page, "_route_ancestors", None)
    if routed is not None:
        return _routed_breadcrumbs(*routed)
    return list(visible(NetworkPage.objects.ancestor_of(page), request).only(*NETWORK_LISTING_FIELDS))


def _routed_breadcrumbs(rows, restricted_paths):
    """NetworkPage objects from the rows of pages.models.HomePage.route (the pages above the routed
    page, with their view restrictions), keeping only what the public may see, like visible()."""
    network_type = ContentType.objects.get_for_model(NetworkPage).pk
    fields = [field for field in NetworkPage._meta.concrete_fields if field.attname in _ROUTED_COLUMNS]
    crumbs = []
    for row in rows:
        if row["content_type_id"] != network_type or not row["live"]:
            continue
        if any(row["path"].startswith(path) for path in restricted_paths):
            continue
        values = [row[_ROUTED_COLUMNS[field.attname]] for field in fields]
        crumbs.append(NetworkPage.from_db(NetworkPage.objects.db, [field.attname for field in fields], values))
    return crumbs


# What a network page shows of each document below it (besides its title and address).
DOCUMENT_LINK_FIELDS = {document_type.model: document_type.link_fields for document_type in document_types()}
PAGE_LINK_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "live", "locale_id", "content_type_id")


def network_documents(page, request):
    """{document model: [its public documents directly below `page`]} in one query over the page
    table with each document table joined, instead of one query per document type. Charters in tree
    order, plans newest fiscal year first (then by title), minutes as they come."""
    models_by_type = {ContentType.objects.get_for_model(model).pk: model for model in DOCUMENT_LINK_FIELDS}
    joined = [f"{model._meta.model_name}__{name}" for model, names in DOCUMENT_LINK_FIELDS.items() for name in names]
    rows = (
        visible(Page.objects.child_of(page), request)
        .filter(content_type_id__in=models_by_type)
        .order_by(f"-{ActionPlanPage._meta.model_name}__fiscal_year", "title", "path")
        .values(*PAGE_LINK_FIELDS, *joined)
    )
    documents = {model: [] for model in DOCUMENT_LINK_FIELDS}
    for row in rows:
        model = models_by_type[row["content_type_id"]]
        columns = {**{name: row[name] for name in PAGE_LINK_FIELDS}, "page_ptr_id": row["id"],
                   **{name: row[f"{model._meta.model_name}__{name}"] for name in DOCUMENT_LINK_FIELDS[model]}}
        fields = [field.attname for field in model._meta.concrete_fields if field.attname in columns]
        documents[model].append(model.from_db(model.objects.db, fields, [columns[name] for name in fields]))
    documents[CharterPage].sort(key=lambda charter: charter.path)
    return documents


def network_context(page, request):
    children = (
        public_networks(request).child_of(page).only(*NETWORK_LISTING_FIELDS).order_by("path")
    )
    children_page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    networks_below, registered_below = branch_counts(page, request)
    total_in_area, registered_in_area = area_counts(page, request)
    child_rows = [
        {
            "network": child,
            "levels": level_counts(networks_below.get(child.path, {})),
            "registered": registered_below.get(child.path, 0),
        }
        for child in children_page.object_list
    ]
    documents = network_documents(page, request)
    charter = next(iter(documents[CharterPage]), None)
    entry = next(iter(RegistryEntry.objects.filter(network_id=page.pk).order_by()[:1]), None)
    if entry is not None:
        entry.network = page
        if entry.charter_id is not None and charter is not None and entry.charter_id == charter.pk:
            entry.charter = charter
        elif entry.charter_id is not None:
            entry.charter = CharterPage.objects.filter(pk=entry.charter_id).only(*CHARTER_LINK_FIELDS).first()
        entry.display_name = organization_name(entry)
        entry.public_charter = public_charter(entry, request)
    return {
        "breadcrumbs": breadcrumbs(page, request),
        "children_page": children_page,
        "child_rows": child_rows,
        # The network itself and everything below it, counted as the home page counts (area_counts).
        "total_below": total_in_area,
        "registered_below": registered_in_area,
        "registry_entry": entry,
        "charter": (entry.public_charter if entry and entry.public_charter else charter),
        "minutes": sorted(documents[MeetingMinutesPage], key=lambda m: (m.meeting_date, m.meeting_number),
                          reverse=True),
        "plans": documents[ActionPlanPage],
        "certificate_url": pdf_urls((entry, DocumentKind.CERTIFICATE)).get((entry, DocumentKind.CERTIFICATE)),
    }


def network_of(page, crumbs=None):
    """The document's network: the last breadcrumb when the public may see it, else one query."""
    if page.network_id is None:
        return None
    for crumb in reversed(crumbs or ()):
        if crumb.pk == page.network_id:
            return crumb
    return NetworkPage.objects.filter(pk=page.network_id).only(*NETWORK_LISTING_FIELDS).first()


def pdf_urls(*wanted):
    """{(object, kind): URL of its current PDF} for several (object, kind) pairs in one query;
    None while a PDF is being made (public.pdfs asks one query per PDF)."""
    condition = Q()
    for obj, kind in wanted:
        if obj is not None:
            content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
            condition |= Q(kind=kind, content_type=content_type, object_id=obj.pk)
    found = {}
    if condition:
        rows = GeneratedDocument.objects.filter(condition, is_current=True).select_related("document").order_by()
        found = {(row.content_type_id, row.object_id, row.kind): row.document.url for row in rows}
    urls = {}
    for obj, kind in wanted:
        if obj is not None:
            content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
            urls[(obj, kind)] = found.get((content_type.pk, obj.pk, kind))
    return urls


# ?digits= of the charter's web and print views: Thai digits by default, as the PDF numbers them.
CHARTER_DIGITS = ("thai", "arabic")


def charter_digits(request):
    digits = request.GET.get("digits") if request is not None else None
    return digits if digits in CHARTER_DIGITS else CHARTER_DIGITS[0]


def charter_chapters(page, digits=CHARTER_DIGITS[0]):
    """The charter's chapters for the templates: [(chapter number, shown number, title, [(clause
    number, shown number, text, clause link label), ...]), ...]. The number (Arabic) makes the anchors
    (#clause-3 whatever the digits); the shown number is in the chosen digits, Thai like the PDF's by
    default. Numbers are already text (the template engine would localize each one) and the link label
    is translated once for every clause."""
    label = gettext("Link to clause %(clause_no)s")
    shown = thai_numerals if digits == "thai" else str
    return [
        (str(chapter_no), shown(chapter_no), title,
         [(str(no), shown(no), text, label % {"clause_no": shown(no)}) for no, text in clauses])
        for chapter_no, title, clauses in page.numbered_chapters()
    ]


def digit_choices(request, digits):
    """[(value, label, href, current)] for the digits switch: the same page with ?digits= changed."""
    labels = {"thai": gettext("Thai digits (๑ ๒ ๓)"), "arabic": gettext("Arabic digits (1 2 3)")}
    choices = []
    for value in CHARTER_DIGITS:
        query = request.GET.copy()
        query["digits"] = value
        choices.append((value, labels[value], f"?{query.urlencode()}", value == digits))
    return choices


def charter_context(page, request):
    entry = None
    if page.network_id:
        # One entry per network at most: no ordering, and no join when the network is in hand. Most
        # entries were never amended: whether there are amendments comes with the entry.
        entry = next(iter(
            RegistryEntry.objects.filter(network_id=page.network_id).order_by()
            .annotate(has_amendments=Exists(RegistryAmendment.objects.filter(entry=OuterRef("pk"))))[:1]
        ), None)
    digits = charter_digits(request)
    if request.GET.get("print") == "1":
        # The printable view shows the charter and its registration only.
        return {"registry_entry": entry, "chapters": charter_chapters(page, digits), "digits": digits,
                "digit_choices": digit_choices(request, digits)}
    crumbs = breadcrumbs(page, request)
    network = network_of(page, crumbs)
    versions = []
    if entry is not None:
        if network is not None and network.pk == entry.network_id:
            entry.network = network
        entry.display_name = organization_name(entry)
        versions = registered_versions(entry, amendments=None if entry.has_amendments else [])
    urls = pdf_urls((entry, DocumentKind.CERTIFICATE), (page, DocumentKind.CHARTER))
    return {
        "network": network,
        "breadcrumbs": crumbs,
        "registry_entry": entry,
        "versions": versions,
        "certificate_url": urls.get((entry, DocumentKind.CERTIFICATE)),
        "charter_pdf_url": urls.get((page, DocumentKind.CHARTER)),
        "chapters": charter_chapters(page, digits),
        "digits": digits,
        "digit_choices": digit_choices(request, digits),
    }


def action_plan_context(page, request):
    activities = list(page.activities.all())
    totals = {source: 0 for source in BudgetSource.values}
    for activity in activities:
        totals[activity.budget_source] += activity.budget
    crumbs = breadcrumbs(page, request)
    return {
        "network": network_of(page, crumbs),
        "breadcrumbs": crumbs,
        "activities": activities,
        "budget_by_source": [(BudgetSource(k).label, v) for k, v in totals.items() if v],
        "total_budget": sum(totals.values()),
    }


def minutes_context(page, request):
    crumbs = breadcrumbs(page, request)
    network = network_of(page, crumbs)
    present_members = present_members_with_committee_size(page)
    return {
        "network": network,
        "breadcrumbs": crumbs,
        "present_members": present_members,
        # In words, as the PDF says it (documents.minutes); no query of its own.
        "quorum": minutes_quorum(page, present_members, network),
        "absent_members": list(page.absent_members.all()),
        "other_attendees": list(page.other_attendees.all()),
        "agenda_items": list(page.agenda_items.all()),
        "attachments": list(page.attachments.select_related("document")),
        "minutes_pdf_url": pdf_urls((page, DocumentKind.MINUTES)).get((page, DocumentKind.MINUTES)),
    }


# The context of each page type of the tree; a document type with no entry here fails loudly.
PAGE_CONTEXTS = {
    HomePage: home_context,
    NetworkPage: network_context,
    CharterPage: charter_context,
    ActionPlanPage: action_plan_context,
    MeetingMinutesPage: minutes_context,
}


def page_context(page, request):
    """What the public template of a page of the tree shows beyond Wagtail's own context (the page
    models' get_context(), through core.providers.public_context)."""
    context_of = PAGE_CONTEXTS.get(type(page))
    if context_of is None:
        raise ImproperlyConfigured(f"public.context has no context for {page._meta.label} pages.")
    return context_of(page, request)
