"""The network tree of Thailand and the documents that live under each network.

Order inside each model follows bakerydemo: fields, panels, search fields, parent/subpage types, methods.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import CommentPanel, FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .clusters import ChildRowsInBulk, built_before, checked_serializable_data, remember_built
from .forms import DocumentPageForm, MeetingMinutesPageForm, NetworkPageForm
from .thaidate import buddhist_year


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.NetworkPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

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
        from public.visibility import view_restrictions

        if not self.live:
            raise Http404
        if self.alias_of_id is None:
            restrictions = [r for r in view_restrictions(request) if self.path.startswith(r.page_path)]
            self.get_view_restrictions = lambda: restrictions
        return RouteResult(self)

    def get_context(self, request, *args, **kwargs):
        from public.context import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


# What HomePage.route reads of each page on the way: routing, and the breadcrumbs' networks.
ROUTE_FIELDS = ("id", "path", "depth", "url_path", "slug", "title", "numchild", "live", "locale_id",
                "content_type_id", "alias_of_id")
ROUTE_NETWORK_FIELDS = ("name_en", "level", "area_code", "province_code")
# Columns of a routed page that its public page never shows: a charter's plain text (search and the
# diff read it) is as long as the charter itself.
ROUTE_DEFERRED = {"pages.charterpage": ("body_text",)}


def _routed_model(row):
    """The page model of a row of HomePage.route (content types are cached by Django)."""
    return ContentType.objects.get_for_id(row["content_type_id"]).model_class()


class NetworkLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    ZONE = "zone", _("Zone")
    DISTRICT = "district", _("District")
    TAMBON = "tambon", _("Tambon")


# Which level may sit directly under which: a district under its province (or a zone of it),
# never under another district. The national network sits under the home page.
ALLOWED_PARENT_LEVELS = {
    NetworkLevel.NATIONAL: {None},
    NetworkLevel.REGION: {NetworkLevel.NATIONAL},
    NetworkLevel.PROVINCE: {NetworkLevel.REGION},
    NetworkLevel.ZONE: {NetworkLevel.PROVINCE},
    NetworkLevel.DISTRICT: {NetworkLevel.PROVINCE, NetworkLevel.ZONE},
    NetworkLevel.TAMBON: {NetworkLevel.DISTRICT, NetworkLevel.ZONE},
}


def allowed_child_levels(parent_level):
    return [level for level, parents in ALLOWED_PARENT_LEVELS.items() if parent_level in parents]


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

    parent_page_types = ["pages.HomePage", "pages.NetworkPage"]
    subpage_types = [
        "pages.NetworkPage",
        "pages.CharterPage",
        "pages.ActionPlanPage",
        "pages.MeetingMinutesPage",
    ]

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        indexes = [models.Index(fields=["level", "province_code"])]

    def __str__(self):
        return self.title

    @property
    def display_name(self):
        """The name in the page's language (Thai unless the reader chose English)."""
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.title

    def get_context(self, request, *args, **kwargs):
        from public.context import network_context

        context = super().get_context(request, *args, **kwargs)
        context.update(network_context(self, request))
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


def validate_network_position(level, parent):
    """Raise ValidationError unless a network of `level` may sit directly under `parent`."""
    parent_level = parent.level if isinstance(parent, NetworkPage) else None
    if parent_level not in ALLOWED_PARENT_LEVELS.get(level, set()):
        raise ValidationError(
            {
                "level": _("A network at level “%(level)s” cannot be placed under “%(parent)s”.")
                % {"level": NetworkLevel(level).label, "parent": parent.title}
            }
        )


class DocumentPermissionTester(PagePermissionTester):
    """Documents are leaf pages, so "is anything here live?" is the page's own flag. Wagtail asks the
    database for each row of a listing otherwise (twice per row for a committee member)."""

    def can_delete(self, ignore_bulk=False):
        if (
            self.user.is_active
            and not self.user.is_superuser
            and not self.page_is_root
            and self.page.is_leaf()
            and "change" in self.permissions
            and "publish" not in self.permissions
        ):
            return not self.page.live
        return super().can_delete(ignore_bulk=ignore_bulk)


class NetworkDocumentPage(Page, ChildRowsInBulk):
    """Fields shared by the documents that live directly under a network. Its child rows are read
    from a revision and committed on publish in a constant number of queries (pages.clusters)."""

    # The owning network, set from the tree on save: permission checks, uniqueness and listings
    # use it instead of walking the tree.
    network = models.ForeignKey(
        "pages.NetworkPage",
        verbose_name=_("network"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A drafting committee fills in the content tab only: no SEO, menus or scheduled publishing
    # (documents go public through approval and registration). Comments stay, for reviewers.
    promote_panels = []
    settings_panels = [CommentPanel()]
    base_form_class = DocumentPageForm
    parent_page_types = ["pages.NetworkPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return DocumentPermissionTester(user, self)

    def get_workflow(self):
        """The workflow bound to this document type (the charter's registration, the plan's approval,
        the minutes' certification), wherever the document sits in the tree (workflows.models)."""
        from workflows.models import workflow_for

        return workflow_for(self)

    @property
    def status_string(self):
        from workflows.status import document_status

        return document_status(self)

    def default_slug(self):
        """An ASCII slug base for this document; Django's slugify drops Thai vowel marks, so a
        slug made from a Thai title would be unreadable."""
        return "document"

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        # Revision.as_object: the references of all child rows are checked together, not one
        # query per row (pages.clusters).
        if check_fks:
            data = checked_serializable_data(cls, data, strict_fks=strict_fks)
            if data is None:
                return None
        return super().from_serializable_data(data, check_fks=False, strict_fks=strict_fks)

    def with_content_json(self, content):
        # Revision.as_object: inside a decision (workflows.actions) the same revision is built once.
        obj = built_before(self, content)
        if obj is None:
            obj = super().with_content_json(content)
            remember_built(self, content, obj)
        return obj

    def save(self, *args, **kwargs):
        if self.network_id is None and self.depth:
            parent = self.get_parent()
            if parent is not None:
                self.network_id = parent.id
        if not self.slug and self.path:
            # Wagtail's own helper adds "-2", "-3"… until the slug is free among the siblings.
            self.slug = self._get_autogenerated_slug(self.default_slug())
        return super().save(*args, **kwargs)


# --- Charter -------------------------------------------------------------------------------------


class ChapterBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Chapter title"), max_length=255)
    clauses = blocks.ListBlock(
        blocks.TextBlock(label=_("Clause")),
        label=_("Clauses"),
        min_num=1,
    )

    class Meta:
        label = _("Chapter")
        icon = "list-ol"


class CharterPage(NetworkDocumentPage):
    version_label = models.CharField(
        _("version"),
        max_length=255,
        help_text=_("For example “พ.ศ. ๒๕๖๒” or “แก้ไขเพิ่มเติมครั้งที่ ๑ พ.ศ. ๒๕๖๔”."),
    )
    preamble = models.TextField(_("preamble"), blank=True)
    chapters = StreamField(
        [("chapter", ChapterBlock())],
        verbose_name=_("chapters"),
        use_json_field=True,
        blank=True,
    )
    # Plain text of the whole charter, kept in step on save: search indexes it and diffs read it.
    body_text = models.TextField(editable=False, blank=True)

    content_panels = [
        FieldPanel("title", heading=_("Charter title")),
        FieldPanel("version_label"),
        FieldPanel("preamble"),
        FieldPanel("chapters"),
    ]
    promote_panels = []

    search_fields = Page.search_fields + [
        index.SearchField("version_label"),
        index.SearchField("body_text"),
        index.FilterField("network"),
    ]

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def default_slug(self):
        return "charter"

    def numbered_chapters(self):
        """[(chapter number, title, [(clause number, text), ...]), ...]; clauses are numbered
        continuously across chapters, as Thai charters are."""
        result = []
        clause_no = 0
        for chapter_no, block in enumerate((b for b in self.chapters if b.block_type == "chapter"), 1):
            clauses = []
            for text in block.value["clauses"]:
                clause_no += 1
                clauses.append((clause_no, str(text)))
            result.append((chapter_no, block.value["title"], clauses))
        return result

    def plain_text(self):
        lines = [self.title, self.version_label]
        if self.preamble:
            lines.append(self.preamble)
        for chapter_no, title, clauses in self.numbered_chapters():
            lines.append(f"หมวด {chapter_no} {title}")
            lines.extend(f"ข้อ {clause_no} {text}" for clause_no, text in clauses)
        return "\n".join(line for line in lines if line)

    def save(self, *args, **kwargs):
        self.body_text = self.plain_text()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from public.context import charter_context

        context = super().get_context(request, *args, **kwargs)
        context.update(charter_context(self, request))
        return context

    def get_template(self, request, *args, **kwargs):
        # ?print=1: the charter alone, laid out for paper.
        if request.GET.get("print") == "1":
            return "pages/charter_page_print.html"
        return super().get_template(request, *args, **kwargs)


# --- Action plan ---------------------------------------------------------------------------------


class BudgetSource(models.TextChoices):
    MEMBERS = "members", _("Members")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CODI = "codi", _("CODI")
    OTHER = "other", _("Other agencies")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanArea(models.TextChoices):
    DATA = "data", _("Data systems")
    MEMBERSHIP = "membership", _("Member-base growth")
    COMMITTEE = "committee", _("Committee and working group")
    LOCAL_GOVERNMENT = "local_government", _("Links with local government")
    OTHER = "other", _("Other")


class ActionPlanPage(NetworkDocumentPage):
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"),
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
        help_text=_("Buddhist Era, for example 2562."),
    )
    goals = models.TextField(_("goals"), blank=True)

    content_panels = [
        FieldPanel("title", heading=_("Plan title")),
        FieldPanel("fiscal_year"),
        FieldPanel("goals"),
        InlinePanel("activities", heading=_("Activities"), label=_("Activity")),
    ]
    promote_panels = []

    search_fields = Page.search_fields + [
        index.SearchField("goals"),
        index.RelatedFields("activities", [index.SearchField("title")]),
        index.FilterField("network"),
    ]

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def default_slug(self):
        return f"action-plan-{self.fiscal_year}" if self.fiscal_year else "action-plan"

    def budget_by_source(self):
        totals = {source: 0 for source in BudgetSource.values}
        for activity in self.activities.all():
            totals[activity.budget_source] += activity.budget
        return [(BudgetSource(k).label, v) for k, v in totals.items() if v]

    def total_budget(self):
        return sum((a.budget for a in self.activities.all()), 0)

    def get_context(self, request, *args, **kwargs):
        from public.context import action_plan_context

        context = super().get_context(request, *args, **kwargs)
        context.update(action_plan_context(self, request))
        return context


class ActionPlanActivity(Orderable):
    page = ParentalKey(ActionPlanPage, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=500)
    area = models.CharField(_("plan area"), max_length=20, choices=PlanArea.choices, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget = models.DecimalField(
        _("budget (baht)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0, message=_("The budget cannot be negative."))],
    )
    budget_source = models.CharField(
        _("budget source"), max_length=20, choices=BudgetSource.choices, default=BudgetSource.MEMBERS
    )
    responsible_person = models.CharField(_("responsible person"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("area"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("budget_source")]),
        FieldPanel("responsible_person"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="activity_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_progress_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


# --- Meeting minutes -----------------------------------------------------------------------------


class MeetingMinutesPage(NetworkDocumentPage):
    body_name = models.CharField(
        _("meeting of"), max_length=500, help_text=_("The committee or working group that met.")
    )
    meeting_number = models.PositiveSmallIntegerField(_("meeting number"), validators=[MinValueValidator(1)])
    # Buddhist year of the meeting date; with the number it names the meeting: "1/2562".
    buddhist_year = models.PositiveSmallIntegerField(_("year (B.E.)"), editable=False, default=0)
    meeting_date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500)
    committee_size = models.PositiveSmallIntegerField(
        _("committee members in office"),
        null=True,
        blank=True,
        help_text=_("Used to check the quorum; leave empty to use the network's committee list."),
    )
    recorder_name = models.CharField(_("recorded by"), max_length=255, blank=True)
    recorder_position = models.CharField(_("recorder's position"), max_length=255, blank=True)
    reviewer_name = models.CharField(_("reviewed by"), max_length=255, blank=True)
    reviewer_position = models.CharField(_("reviewer's position"), max_length=255, blank=True)

    content_panels = [
        FieldPanel("title", heading=_("Title")),
        FieldPanel("body_name"),
        FieldRowPanel([FieldPanel("meeting_number"), FieldPanel("meeting_date")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("place"),
        MultiFieldPanel(
            [
                FieldPanel("committee_size"),
                InlinePanel("present_members", label=_("Present")),
                InlinePanel("absent_members", label=_("Absent")),
                InlinePanel("other_attendees", label=_("Also attending")),
            ],
            heading=_("Attendance"),
        ),
        InlinePanel("agenda_items", heading=_("Agenda"), label=_("Agenda item")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("recorder_name"), FieldPanel("recorder_position")]),
                FieldRowPanel([FieldPanel("reviewer_name"), FieldPanel("reviewer_position")]),
            ],
            heading=_("Recorder and reviewer"),
        ),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
    ]
    promote_panels = []
    base_form_class = MeetingMinutesPageForm

    search_fields = Page.search_fields + [
        index.SearchField("body_name"),
        index.SearchField("place"),
        index.RelatedFields(
            "agenda_items",
            [index.SearchField("title"), index.SearchField("summary"), index.SearchField("resolution")],
        ),
        index.FilterField("network"),
    ]

    class Meta:
        verbose_name = _("meeting minutes")
        verbose_name_plural = _("meeting minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "buddhist_year", "meeting_number"],
                name="unique_meeting_number_per_network_year",
                violation_error_message=_("This network already has a meeting with this number in that year."),
            ),
        ]

    @property
    def number_label(self):
        """'1/2562'."""
        return f"{self.meeting_number}/{self.buddhist_year}"

    def default_slug(self):
        return f"minutes-{self.meeting_number}-{self.buddhist_year}"

    def save(self, *args, **kwargs):
        if self.meeting_date:
            self.buddhist_year = buddhist_year(self.meeting_date)
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from public.context import minutes_context

        context = super().get_context(request, *args, **kwargs)
        context.update(minutes_context(self, request))
        return context


class PresentMember(Orderable):
    page = ParentalKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="present_members")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    substitute_for = models.CharField(
        _("substituting for"), max_length=255, blank=True, help_text=_("Fill in when attending in place of someone (แทน).")
    )
    is_committee_member = models.BooleanField(_("committee member"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
        FieldRowPanel([FieldPanel("substitute_for"), FieldPanel("is_committee_member")]),
    ]


class AbsentMember(Orderable):
    page = ParentalKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="absent_members")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")]), FieldPanel("reason")]


class OtherAttendee(Orderable):
    page = ParentalKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="other_attendees")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position or organization"), max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")])]


class AgendaItem(Orderable):
    page = ParentalKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("agenda item"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("resolution"),
        FieldRowPanel([FieldPanel("votes_for"), FieldPanel("votes_against"), FieldPanel("votes_abstain")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    @property
    def number(self):
        return (self.sort_order or 0) + 1

    def __str__(self):
        return f"{self.number}. {self.title}"


ATTACHMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


class MinutesAttachment(Orderable):
    page = ParentalKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("caption")]

    def clean(self):
        super().clean()
        if self.document_id:
            extension = (self.document.file_extension or "").lower()
            if extension not in ATTACHMENT_EXTENSIONS:
                raise ValidationError(
                    {"document": _("Attachments must be PDF files or images (PNG, JPG).")}
                )
