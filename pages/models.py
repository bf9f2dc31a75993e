"""The network tree of Thailand and the documents that live under each network.

Order inside each model follows bakerydemo: fields, panels, search fields, parent/subpage types, methods.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import CommentPanel, FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from core.fields import acting_user
from core.providers import document_status, document_workflow, public_context
from core.thaidate import buddhist_year

from .clusters import ChildRowsInBulk, built_before, checked_serializable_data, remember_built
from .forms import DocumentPageForm, MeetingMinutesPageForm

# The largest PositiveSmallIntegerField PostgreSQL stores; said as a validator so that SQLite, which
# would store more, refuses the same numbers with the same message.
SMALL_NUMBER_MAX = 32767


class DocumentPermissionTester(PagePermissionTester):
    """Documents are leaf pages, so "is anything here live?" is the page's own flag. Wagtail asks the
    database for each row of a listing otherwise (twice per row for a committee member)."""

    def can_delete(self, ignore_bulk=False):
        # A document on its road is withdrawn first, never deleted from under its reviewers (issue 9:
        # the permission matrix found committees deleting charters waiting at the provincial review).
        if self.user.is_active and not self.user.is_superuser and self.page.workflow_in_progress:
            return False
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
        "networks.NetworkPage",
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
    parent_page_types = ["networks.NetworkPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return DocumentPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        # The public page's context comes from the public app (public.context, core.providers).
        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(self, request))
        return context

    def get_workflow(self):
        """The workflow bound to this document type (the charter's registration, the plan's approval,
        the minutes' certification), wherever the document sits in the tree (workflows.models)."""
        return document_workflow(self)

    @property
    def status_string(self):
        # The state in words for the admin's listings (workflows.status, core.providers).
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
    meeting_number = models.PositiveSmallIntegerField(
        _("meeting number"), validators=[MinValueValidator(1), MaxValueValidator(SMALL_NUMBER_MAX)]
    )
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
        validators=[MaxValueValidator(SMALL_NUMBER_MAX)],
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
    votes_for = models.PositiveSmallIntegerField(
        _("votes for"), null=True, blank=True, validators=[MaxValueValidator(SMALL_NUMBER_MAX)]
    )
    votes_against = models.PositiveSmallIntegerField(
        _("votes against"), null=True, blank=True, validators=[MaxValueValidator(SMALL_NUMBER_MAX)]
    )
    votes_abstain = models.PositiveSmallIntegerField(
        _("abstentions"), null=True, blank=True, validators=[MaxValueValidator(SMALL_NUMBER_MAX)]
    )

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


class DraftMinutesAttachment(models.Model):
    """A file some saved version of the minutes carries. `MinutesAttachment` rows follow the page's
    current row, which a draft saved after the first does not change: without this, a file added in a
    later draft would have no row and would be open to anyone with its link. Written on every revision
    of the minutes (pages.signals), read when a file is served (pages.wagtail_hooks)."""

    page = models.ForeignKey(MeetingMinutesPage, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "document"], name="draft_attachment_once")]


# --- One page per create form ----------------------------------------------------------------------


class PageCreation(models.Model):
    """The token a document's create form carries, claimed by the first POST of that form (pages.creation):
    whatever the user clicks while Wagtail's autosave runs, the form makes one page."""

    token = models.UUIDField(_("form token"), unique=True, editable=False)
    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = acting_user(_("user"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)

    class Meta:
        verbose_name = _("page creation")
        verbose_name_plural = _("page creations")

    def __str__(self):
        return str(self.token)
