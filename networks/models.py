"""The network tree of all Thailand: the home page and the networks under it (national → region →
province → zone → district → tambon). Documents live under a network (pages.models)."""

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.i18n import is_english as in_english
from core.providers import public_context
from core.visibility import view_restrictions

from .forms import NetworkPageForm
from .rules import NetworkLevel, validate_network_position


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["networks.NetworkPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        # The model moved here from `pages`; its table kept its name (networks migration 0001).
        db_table = "pages_homepage"

    def route(self, request, path_components):
        """Every page of the site in one query by its url_path, instead of Wagtail's two queries per
        level of the tree (national → region → province → district → tambon → document).

        Same outcome as Page.route: a missing level is a 404, only the last page must be live, and a
        page class with routing of its own (Page.route overridden) takes over the rest of the path.
        The same query reads the view restrictions of the page and of every page above it, which
        Wagtail's serve view still checks (check_view_restrictions), and what the breadcrumbs show of
        the networks above it (public.context.breadcrumbs)."""
        if not path_components:
            return self._route_home(request)
        url_paths = []
        url_path = self.url_path
        for component in path_components:
            url_path += component + "/"
            url_paths.append(url_path)
        above = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        # url_path is indexed by pages' migration 0005 (Wagtail's table has no such index). One row per
        # restriction of a page.
        rows = Page.objects.filter(
            Q(url_path__in=url_paths, path__startswith=self.path)
            | Q(path__in=above)
        ).order_by().values(*ROUTE_FIELDS, *(f"networkpage__{name}" for name in ROUTE_NETWORK_FIELDS),
                            "view_restrictions__id")
        found, restriction_ids, restricted_paths = {}, set(), set()
        for row in rows:
            if row["view_restrictions__id"] is not None:
                restriction_ids.add(row["view_restrictions__id"])
                restricted_paths.add(row["path"])
            if row["path"] not in above:
                found[row["url_path"]] = row
        chain = []
        for depth, url_path in enumerate(url_paths):
            row = found.get(url_path)
            parent_model = _routed_model(chain[-1]) if chain else None
            if parent_model is not None and parent_model.route is not Page.route:
                parent = parent_model.objects.get(pk=chain[-1]["id"])
                return parent.route(request, path_components[depth:])
            if row is None:
                raise Http404
            if _routed_model(row) is None:
                return super().route(request, path_components)  # a page whose model is gone
            chain.append(row)
        model = _routed_model(chain[-1])
        page = model.objects.defer(*ROUTE_DEFERRED.get(model._meta.label_lower, ())).get(pk=chain[-1]["id"])
        if model.route is not Page.route:
            return page.route(request, [])
        if not page.live:
            raise Http404
        if not any(row["alias_of_id"] for row in chain):
            # An alias takes its source's restrictions: Wagtail's own lookup handles that case.
            page.get_view_restrictions = (
                lambda: PageViewRestriction.objects.filter(id__in=restriction_ids) if restriction_ids else []
            )
            page._route_ancestors = (chain[:-1], restricted_paths)
        return RouteResult(page)

    def _route_home(self, request):
        """The home page itself: its view restrictions and those its listings need, in one query."""
        if not self.live:
            raise Http404
        if self.alias_of_id is None:
            restrictions = [r for r in view_restrictions(request) if self.path.startswith(r.page_path)]
            self.get_view_restrictions = lambda: restrictions
        return RouteResult(self)

    def get_context(self, request, *args, **kwargs):
        # The public page's context comes from the public app (public.context, core.providers).
        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(self, request))
        return context


# What HomePage.route reads of each page on the way: routing, and the breadcrumbs' networks.
ROUTE_FIELDS = ("id", "path", "depth", "url_path", "slug", "title", "numchild", "live", "locale_id",
                "content_type_id", "alias_of_id")
# quorum_percent: the minutes page says whether the meeting had its quorum (documents.minutes).
ROUTE_NETWORK_FIELDS = ("name_en", "level", "area_code", "province_code", "quorum_percent")
# Columns of a routed page that its public page never shows: a charter's plain text (search and the
# diff read it) is as long as the charter itself.
ROUTE_DEFERRED = {"pages.charterpage": ("body_text",)}


def _routed_model(row):
    """The page model of a row of HomePage.route (content types are cached by Django)."""
    return ContentType.objects.get_for_id(row["content_type_id"]).model_class()


class NetworkPage(Page):
    level = models.CharField(_("level"), max_length=10, choices=NetworkLevel.choices, db_index=True)
    area_code = models.CharField(
        _("official area code"),
        max_length=10,
        blank=True,
        db_index=True,
        help_text=_("Province, district or tambon code of the Department of Provincial Administration."),
    )
    # Denormalised from the tree so that "officers of this province" is one indexed lookup.
    province_code = models.CharField(_("province code"), max_length=2, blank=True, db_index=True)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    office_address = models.TextField(_("office address"), blank=True)
    welfare_started_on = models.DateField(_("welfare work began on"), null=True, blank=True)
    member_organization_count = models.PositiveIntegerField(_("member organizations"), default=0)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    # The statute's default quorum is "more than half of the committee"; a network's charter may
    # set its own minimum share instead.
    quorum_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("quorum (% of the committee)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for the default: more than half of the committee present."),
    )

    content_panels = [
        FieldPanel("title", heading=_("Name in Thai")),
        FieldPanel("name_en"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("area_code")]),
        FieldPanel("office_address"),
        FieldPanel("welfare_started_on"),
        FieldRowPanel([FieldPanel("member_organization_count"), FieldPanel("member_count")]),
        FieldPanel("quorum_percent"),
    ]
    # The slug is set by the tree loader (or derived from the name) and published URLs depend on it;
    # SEO fields, menus and scheduled publishing mean nothing to a network's committee.
    promote_panels = []
    settings_panels = []
    base_form_class = NetworkPageForm

    search_fields = Page.search_fields + [
        index.SearchField("name_en"),
        index.FilterField("level"),
        index.FilterField("province_code"),
    ]

    parent_page_types = ["networks.HomePage", "networks.NetworkPage"]
    # Any page type that names a network as its parent: sub-networks, and the documents (each declares
    # parent_page_types in pages.models), so the tree does not list the layer above it.
    subpage_types = None

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        db_table = "pages_networkpage"  # kept when the model moved from `pages`
        indexes = [models.Index(fields=["level", "province_code"])]

    def __str__(self):
        return self.title

    @property
    def display_name(self):
        """The name in the page's language (Thai unless the reader chose English)."""
        if in_english() and self.name_en:
            return self.name_en
        return self.title

    def get_context(self, request, *args, **kwargs):
        # The public page's context comes from the public app (public.context, core.providers).
        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(self, request))
        return context

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk and self.depth else None
        if parent is not None:
            validate_network_position(self.level, parent.specific)

    def save(self, *args, **kwargs):
        if not self.slug and self.path:
            # Thai titles slugify badly (vowel marks are dropped): prefer the English name or code.
            base = slugify(self.name_en) or self.area_code or "network"
            self.slug = self._get_autogenerated_slug(base)
        if not self.province_code and self.level not in (NetworkLevel.NATIONAL, NetworkLevel.REGION):
            if self.area_code:
                self.province_code = self.area_code[:2]
            elif self.depth:
                parent = self.get_parent()
                self.province_code = getattr(parent.specific, "province_code", "") if parent else ""
        return super().save(*args, **kwargs)
