"""The road from a draft charter to a registered community welfare organization, on Wagtail's own
workflow engine.

Each step is a Wagtail Task subclass whose configuration (who acts, which actions, which form each
asks for, its deadline, whether it freezes the text, registers or publishes, its words) is its Step in
workflows.road; a class overrides `record_decision` when its decision records more than a
StepDecision. The state changes themselves live in workflows.actions, so that every way in (the
admin's action modal, the edit view, the deadline check) goes through the same guarded, atomic code.

What a decision recorded beyond Wagtail's TaskState (the adoption citation, the provincial
checklist, the reason for a request or a rejection) is kept in StepDecision and its companions,
ordinary models with django-simple-history.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Task, TaskState

from core.fields import acting_user
from core.thaidate import format_date_for_language
from pages.doctypes import document_type_for, workflow_choices
from pages.models import AgendaItem, MeetingMinutesPage
from people.roles import read_once_per_request
from registry.services import register, revoked_entry_of_charter, sha256_of

from . import actors, road
from . import forms as action_forms
from .errors import WorkflowActionRefused
from .quorum import committee_presence
from .road import APPROVE, REJECT_APPLICATION, REQUEST_CHANGES  # noqa: F401 (the names callers import from here)

# --- The steps ---------------------------------------------------------------------------------------
# Each class is one step of a road (workflows.road): its configuration (actors, actions, forms,
# deadline, frozen text, publishing, registering, words) is read from its Step; what an approval
# records beyond a StepDecision is the class's record_decision.


class NetworkStepTask(Task):
    """A step of a road, whose actors are defined by a role towards the document's network."""

    class Meta:
        abstract = True

    @classmethod
    def road_step(cls):
        step = road.step_for_model(cls)
        if step is None:
            raise LookupError(f"{cls.__name__} is no step of any road in workflows.road.")
        return step

    @staticmethod
    def network_of(obj):
        return actors.network_of(obj)

    # The step's settings, read from the road (kept as attributes for Wagtail and older callers).
    @property
    def actions(self):
        return self.road_step().wagtail_actions()

    @property
    def text_frozen_for_actors(self):
        return self.road_step().text_frozen

    @property
    def deadline_days(self):
        return self.road_step().deadline_days

    @property
    def waiting_label(self):
        return self.road_step().waiting_label

    @classmethod
    def get_description(cls):
        return cls.road_step().description

    def user_is_actor(self, obj, user):
        return self.road_step().actors.is_actor(obj, user)

    def actor_page_filter(self, user):
        """A Q over pages (document pages) whose step this user may decide; None when none."""
        return self.road_step().actors.page_filter(user)

    def get_actor_users(self, obj):
        """The users who must act at this step on `obj`, for notifications."""
        return self.road_step().actors.users(obj)

    def user_can_access_editor(self, obj, user):
        return self.user_is_actor(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_actor(obj, user)

    def get_actions(self, obj, user):
        if not self.user_is_actor(obj, user) or self.approved_this_round(obj, user):
            return []
        return list(self.actions)

    def approved_this_round(self, obj, user):
        """At a threshold step, whether `user` approved the round in progress: a signer who did waits for
        the others, with nothing left to decide (the queue leaves the step out for them too)."""
        if not self.road_step().threshold or not user.is_authenticated:
            return False
        return read_once_per_request(
            user,
            ("approved_this_round", self.pk, obj.pk),
            lambda: StepApproval.objects.filter(
                user=user,
                task_state__task=self,
                task_state__status=TaskState.STATUS_IN_PROGRESS,
                task_state__workflow_state__object_id=str(obj.pk),
            ).exists(),
        )

    def get_form_for_action(self, action):
        return self.road_step().form_for(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .actions import perform_action  # actions imports this module: at the top it would be circular

        return perform_action(self, task_state, user, action_name, kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        condition = steps_moderation_condition(user, [self])
        if condition is None:
            return TaskState.objects.none()
        return TaskState.objects.filter(condition)

    def start(self, workflow_state, user=None):
        if self._first_of_registering_road():
            # The road's first step (Workflow.start is atomic: refusing here starts nothing).
            entry = revoked_entry_of_charter(workflow_state.object_id)
            if entry is not None:
                raise WorkflowActionRefused(revoked_charter_message(entry))
        task_state = super().start(workflow_state, user=user)
        step = self.road_step()
        network = self.network_of(workflow_state.content_object)
        if step.skipped_for_levels and network is not None and network.level in step.skipped_for_levels:
            from .actions import skip_step  # actions imports this module: at the top it would be circular

            reason = gettext(
                "No local government office has jurisdiction over a network at level “%(level)s”: "
                "this step does not apply."
            ) % {"level": network.get_level_display()}
            skip_step(task_state, reason)
        return task_state

    @classmethod
    def _first_of_registering_road(cls):
        step = cls.road_step()
        for candidate in road.roads():
            if candidate.steps and candidate.steps[0] is step:
                return any(s.registers for s in candidate.steps)
        return False

    def record_decision(self, decision, *, page, task_state, user, cleaned):
        """Save `decision` (an unsaved StepDecision) and whatever else this step's decision records.
        Raise WorkflowActionRefused to refuse it: the caller's transaction then changes nothing.
        A step whose approval registers (Step.registers) records the registry entry."""
        if decision.kind == DecisionKind.APPROVED and self.road_step().registers:
            decision.registry_entry = _register(page, user, task_state, cleaned)
        decision.save()

    def decides_step(self, decision):
        """Whether this decision closes the step. A threshold step's approvals before the k-th never
        reach here: workflows.actions.perform_action records them (StepApproval) and stops."""
        return True

    def decision_summary(self, decision):
        """Extra lines for the history and e-mails, from the data this step records."""
        return []


def steps_moderation_condition(user, tasks):
    """A Q over TaskState: the in-progress states of these steps (NetworkStepTask instances) that `user`
    may decide; None when none. Steps with the same actors share one subquery of the documents: the
    cost of the queue is the ORM building nested subqueries, so fewer of them is what makes it cheap."""
    if user is None or not user.is_authenticated:
        return None
    steps_by_role = defaultdict(list)
    for task in tasks:
        steps_by_role[task.road_step().actors.key].append(task)
    condition = None
    for role_steps in steps_by_role.values():
        page_filter = role_steps[0].actor_page_filter(user)
        if page_filter is None:
            continue
        at_steps = models.Q()
        plain_ids = [task.pk for task in role_steps if not task.road_step().threshold]
        if plain_ids:
            at_steps |= models.Q(task_id__in=plain_ids)
        threshold_ids = [task.pk for task in role_steps if task.road_step().threshold]
        if threshold_ids:
            # A signer who approved this round waits for the others: nothing left for them to do.
            approved = StepApproval.objects.filter(user=user).values("task_state_id")
            at_steps |= models.Q(task_id__in=threshold_ids) & ~models.Q(pk__in=approved)
        if page_filter != models.Q():  # not every document (the registrar's step)
            page_ids = Page.objects.filter(page_filter).annotate(pk_text=Cast("pk", models.CharField()))
            at_steps &= models.Q(
                workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
                workflow_state__object_id__in=page_ids.values("pk_text"),
            )
        condition = at_steps if condition is None else condition | at_steps
    if condition is None:
        return None
    return models.Q(status=TaskState.STATUS_IN_PROGRESS) & condition


class CommitteeReviewTask(NetworkStepTask):
    """Charter, step 1: the network's chair or secretary approves the draft or sends it back."""

    class Meta:
        verbose_name = _("committee review")
        verbose_name_plural = _("committee reviews")


class AssemblyAdoptionTask(NetworkStepTask):
    """Charter, step 2: the assembly's adoption is recorded by citing the minutes and the agenda item
    whose resolution adopted this charter; a meeting without a quorum cannot adopt it."""

    class Meta:
        verbose_name = _("assembly adoption")
        verbose_name_plural = _("assembly adoptions")

    def get_template_for_action(self, action):
        if action == APPROVE:
            return "workflows/adoption_action_modal.html"
        return super().get_template_for_action(action)

    def record_decision(self, decision, *, page, task_state, user, cleaned):
        if decision.kind != DecisionKind.APPROVED:
            return super().record_decision(decision, page=page, task_state=task_state, user=user, cleaned=cleaned)
        citation = _adoption_citation(page, cleaned, task_state)
        super().record_decision(decision, page=page, task_state=task_state, user=user, cleaned=cleaned)
        citation.decision = decision
        citation.save()

    def decision_summary(self, decision):
        citation = getattr(decision, "adoption_citation", None)
        if citation is None:
            return []
        return [citation.describe()]


class LocalGovernmentCommentTask(NetworkStepTask):
    """Charter, step 3: the local government office comments (a comment is required). Without a
    comment within the step's deadline the application moves on by itself (workflows.deadlines)."""

    class Meta:
        verbose_name = _("local government comment")
        verbose_name_plural = _("local government comments")


class ProvincialReviewTask(NetworkStepTask):
    """Charter, step 4: an officer of the network's own province checks the file and forwards the
    application, requests changes or rejects it; every decision records the checklist."""

    class Meta:
        verbose_name = _("provincial review")
        verbose_name_plural = _("provincial reviews")

    def record_decision(self, decision, *, page, task_state, user, cleaned):
        super().record_decision(decision, page=page, task_state=task_state, user=user, cleaned=cleaned)
        ProvincialChecklist.objects.create(
            decision=decision, **{name: bool(cleaned.get(name)) for name, _label in CHECKLIST_FIELDS}
        )

    def decision_summary(self, decision):
        checklist = getattr(decision, "provincial_checklist", None)
        return [checklist.describe()] if checklist else []


class RegistrationTask(NetworkStepTask):
    """Charter, step 5: a registrar records the certification decision; approval registers the charter
    (its step says `registers`) and the workflow then publishes it."""

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")


class MinutesCertificationTask(NetworkStepTask):
    """Minutes: the chair or the secretary certifies them; certified minutes are published."""

    class Meta:
        verbose_name = _("minutes certification")
        verbose_name_plural = _("minutes certifications")


class ActionPlanApprovalTask(NetworkStepTask):
    """Action plans: the chair of the network's committee approves them."""

    class Meta:
        verbose_name = _("action plan approval")
        verbose_name_plural = _("action plan approvals")


def revoked_charter_message(entry):
    return gettext(
        "The registration %(number)s of this charter was revoked on %(date)s: the charter cannot be amended "
        "or submitted again. To be certified again, the network files a new application with a new charter. "
        "Nothing was changed."
    ) % {
        "number": entry.registration_number,
        "date": format_date_for_language(entry.revoked_on, get_language()),
    }


# --- What a step records, beyond the decision ---------------------------------------------------------


def _refuse(page, message, **params):
    raise WorkflowActionRefused(message % params if params else message, page_id=page.pk)


def _adopted_text(page, task_state):
    """(canonical text, SHA-256) of the text under adoption: the revision that reached this step, in
    the registry's canonical form (CharterPage.plain_text, registry.services.sha256_of)."""
    revision = task_state.revision
    text = revision.as_object().plain_text() if revision is not None else page.plain_text()
    return text, sha256_of(text)


def text_changed_on(page, revision, digest):
    """The day the text of `revision` last changed: the date of the earliest revision, up to this one,
    in the unbroken run of revisions with the same text."""
    if revision is None:
        return timezone.localdate()
    changed_at = revision.created_at
    earlier = page.revisions.filter(created_at__lte=revision.created_at).exclude(pk=revision.pk)
    for older in earlier.order_by("-created_at", "-pk").iterator():
        if sha256_of(older.as_object().plain_text()) != digest:
            break
        changed_at = older.created_at
    return timezone.localdate(changed_at)


def _adoption_citation(page, cleaned, task_state):
    """The citation of the resolution that adopted the text under review, or a refusal naming the rule
    that failed: the network's own minutes, certified, of a meeting held on or after the day the text
    last changed, an item of them whose resolution adopted it with the quorum, and a resolution that
    adopted no other text (an amendment needs a new resolution)."""
    minutes = MeetingMinutesPage.objects.filter(pk=cleaned["minutes"]).first()
    if minutes is None:
        _refuse(page, gettext("There are no such minutes."))
    if minutes.network_id != page.network_id:
        _refuse(page, gettext("The minutes cited must be minutes of this charter's own network. Nothing was changed."))
    if not minutes.live:
        _refuse(
            page,
            gettext(
                "Minutes %(number)s are not certified yet: only certified minutes can be cited as the "
                "adopting meeting. Nothing was changed."
            ),
            number=minutes.number_label,
        )
    text, digest = _adopted_text(page, task_state)
    changed_on = text_changed_on(page, task_state.revision, digest)
    if minutes.meeting_date < changed_on:
        _refuse(
            page,
            gettext(
                "Meeting %(number)s of %(meeting)s was held before the text under adoption last changed "
                "(%(changed)s): it cannot have adopted this text. Nothing was changed."
            ),
            number=minutes.number_label,
            meeting=format_date_for_language(minutes.meeting_date, get_language()),
            changed=format_date_for_language(changed_on, get_language()),
        )
    item = AgendaItem.objects.filter(pk=cleaned["agenda_item"], page=minutes).first()
    if item is None:
        _refuse(page, gettext("The agenda item cited is not an item of these minutes. Nothing was changed."))
    if not item.resolution.strip() or (
        item.votes_for is not None and item.votes_for <= (item.votes_against or 0)
    ):
        _refuse(
            page,
            gettext(
                "Agenda item %(item)s of minutes %(number)s records no resolution adopting the text. "
                "Nothing was changed."
            ),
            item=item.number,
            number=minutes.number_label,
        )
    present, size, met = committee_presence(minutes)
    if not met:
        _refuse(
            page,
            gettext(
                "Meeting %(number)s had no quorum (%(present)s of %(size)s committee members present): "
                "it could not adopt the charter. Nothing was changed."
            ),
            number=minutes.number_label,
            present=present,
            size=size,
        )
    resolution = _resolution_for(page, item, digest, minutes)
    return AdoptionCitation(
        minutes=minutes, agenda_item=item, present_committee_members=present, committee_size=size,
        text_sha256=digest, resolution=resolution,
    )


def _resolution_for(page, item, digest, minutes):
    """The AdoptedResolution of `item` for this text; refused when it adopted another text. The
    database's uniqueness of the agenda item settles two adoptions citing it at the same moment."""
    existing = AdoptedResolution.objects.select_for_update().filter(agenda_item=item).first()
    if existing is None:
        try:
            with transaction.atomic():
                return AdoptedResolution.objects.create(agenda_item=item, text_sha256=digest, charter=page)
        except IntegrityError:
            existing = AdoptedResolution.objects.get(agenda_item=item)
    if existing.text_sha256 != digest:
        _refuse(
            page,
            gettext(
                "The resolution of agenda item %(item)s of minutes %(number)s already adopted another text: "
                "one resolution adopts one text, and an amendment needs a new resolution. Nothing was changed."
            ),
            item=item.number,
            number=minutes.number_label,
        )
    return existing


def check_adopted_text(page, task_state):
    """At registration: the text registered is the text the assembly adopted in this application; a
    text changed after its adoption needs a new adoption."""
    citation = (
        AdoptionCitation.objects.filter(decision__task_state__workflow_state_id=task_state.workflow_state_id)
        .order_by("-pk")
        .first()
    )
    if citation is None or not citation.text_sha256:
        return
    _text, digest = _adopted_text(page, task_state)
    if digest != citation.text_sha256:
        _refuse(
            page,
            gettext(
                "The text changed after the assembly adopted it: the changed text needs a new adoption. "
                "Request changes, and the drafters restart the workflow so that the assembly adopts the new "
                "text. Nothing was changed."
            ),
        )


def _register(page, user, task_state, cleaned):
    # The registrar registers the text that reached this step; a text changed since then was not reviewed.
    if page.latest_revision_id != task_state.revision_id:
        raise WorkflowActionRefused(
            _("The text changed after it reached this step; request changes instead. Nothing was changed."),
            page_id=page.pk,
        )
    check_adopted_text(page, task_state)
    try:
        return register(page, user, conditions=cleaned.get("conditions", ""), revision=task_state.revision)
    except ValidationError as error:
        raise WorkflowActionRefused(" ".join(str(m) for m in error.messages), page_id=page.pk) from error

# --- What a decision recorded ----------------------------------------------------------------------


class DecisionKind(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Application rejected")
    MOVED_ON = "moved_on", _("Moved on after the deadline")


class StepDecision(models.Model):
    """One decision taken at one step: who, when, what, why. The Wagtail TaskState it closes keeps
    the comment shown in Wagtail's workflow history; this row keeps the structured part."""

    task_state = models.OneToOneField(
        TaskState, verbose_name=_("task state"), on_delete=models.CASCADE, related_name="decision"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    comment = models.TextField(_("comment or reason"), blank=True)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    registry_entry = models.ForeignKey(
        "registry.RegistryEntry",
        verbose_name=_("registry entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step decision")
        verbose_name_plural = _("step decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.task_state.task} – {self.get_kind_display()}"


class AdoptionCitation(models.Model):
    """The assembly meeting and the agenda item whose resolution adopted the charter."""

    decision = models.OneToOneField(StepDecision, on_delete=models.CASCADE, related_name="adoption_citation")
    minutes = models.ForeignKey(
        "pages.MeetingMinutesPage",
        verbose_name=_("minutes of the adopting meeting"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda_item = models.ForeignKey(
        "pages.AgendaItem", verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="+"
    )
    present_committee_members = models.PositiveSmallIntegerField(_("committee members present"))
    committee_size = models.PositiveSmallIntegerField(_("committee members in office"))
    # SHA-256 of the adopted text (the registry's canonical text: CharterPage.plain_text), so a text
    # changed after its adoption is recognised and needs a new adoption.
    text_sha256 = models.CharField(_("SHA-256 of the adopted text"), max_length=64, blank=True)
    resolution = models.ForeignKey(
        "workflows.AdoptedResolution", verbose_name=_("resolution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="citations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption citation")
        verbose_name_plural = _("adoption citations")

    def describe(self):
        return _(
            "Adopted at meeting %(number)s of %(date)s, agenda item %(item)s “%(title)s” "
            "(%(present)s of %(size)s committee members present)."
        ) % {
            "number": self.minutes.number_label,
            "date": format_date_for_language(self.minutes.meeting_date, get_language()),
            "item": self.agenda_item.number,
            "title": self.agenda_item.title,
            "present": self.present_committee_members,
            "size": self.committee_size,
        }


class AdoptedResolution(models.Model):
    """An agenda item's resolution and the one text it adopted: the database refuses a second text for
    the same resolution (an amendment needs a new resolution)."""

    agenda_item = models.OneToOneField(
        "pages.AgendaItem", verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="adopted_text"
    )
    text_sha256 = models.CharField(_("SHA-256 of the adopted text"), max_length=64)
    charter = models.ForeignKey(
        "pages.CharterPage", verbose_name=_("charter"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adopted resolution")
        verbose_name_plural = _("adopted resolutions")


# --- k-of-n approval -------------------------------------------------------------------------------


class StepApproval(models.Model):
    """One signer's approval at a threshold-capable step, in one round (one task state: a request for
    changes ends the round, the resubmission starts a new task state with no approvals)."""

    task_state = models.ForeignKey(
        TaskState, verbose_name=_("task state"), on_delete=models.CASCADE, related_name="approvals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["approved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task_state", "user"], name="one_approval_per_signer_and_round"),
        ]

    def __str__(self):
        return f"{self.user} – {self.task_state_id}"


class ApprovalThreshold(models.Model):
    """k, the number of approvals a threshold-capable step needs: per network for a committee step,
    per province for the provincial step. Without a row, k = 1."""

    network = models.ForeignKey(
        "networks.NetworkPage", verbose_name=_("network"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    province_code = models.CharField(_("province"), max_length=2, blank=True)
    step_key = models.CharField(_("step"), max_length=60)
    required_approvals = models.PositiveSmallIntegerField(_("approvals required"))
    set_by = acting_user(_("set by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval threshold")
        verbose_name_plural = _("approval thresholds")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(network__isnull=False) & models.Q(province_code=""))
                | (models.Q(network__isnull=True) & ~models.Q(province_code="")),
                name="threshold_for_a_network_or_a_province",
            ),
            models.CheckConstraint(condition=models.Q(required_approvals__gte=1), name="threshold_at_least_one"),
            models.UniqueConstraint(
                fields=["network", "step_key"], name="one_threshold_per_network_step",
                condition=models.Q(network__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["province_code", "step_key"], name="one_threshold_per_province_step",
                condition=~models.Q(province_code=""),
            ),
        ]

    def __str__(self):
        return f"{self.network_id or self.province_code} {self.step_key}: {self.required_approvals}"


# One list of the checks, with the form that asks for them; the fields below are named after it.
CHECKLIST_FIELDS = action_forms.PROVINCIAL_CHECKLIST


class ProvincialChecklist(models.Model):
    """The provincial office's check of the file, recorded with its decision."""

    decision = models.OneToOneField(
        StepDecision, on_delete=models.CASCADE, related_name="provincial_checklist"
    )
    has_charter = models.BooleanField(_("charter"), default=False)
    has_adopting_minutes = models.BooleanField(_("minutes of the adopting meeting"), default=False)
    has_committee_list = models.BooleanField(_("committee list"), default=False)
    has_action_plan = models.BooleanField(_("action plan"), default=False)
    has_member_count = models.BooleanField(_("member count"), default=False)
    welfare_work_one_year = models.BooleanField(_("at least one year of welfare work"), default=False)
    office_one_year = models.BooleanField(_("an office in the locality for at least one year"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial checklist")
        verbose_name_plural = _("provincial checklists")

    @property
    def complete(self):
        return all(getattr(self, name) for name, _label in CHECKLIST_FIELDS)

    def describe(self):
        marks = [f"{'✓' if getattr(self, name) else '✗'} {label}" for name, label in CHECKLIST_FIELDS]
        return _("File checklist: %(items)s") % {"items": "; ".join(str(m) for m in marks)}


# --- Which workflow a document type follows -------------------------------------------------------


class WorkflowBinding(models.Model):
    """The workflow of a document type, wherever the document sits in the tree (read by the
    document models' get_workflow()). Kept here rather than in Wagtail's WorkflowContentType, whose
    admin form offers snippet models only and would drop page types when a workflow is edited."""

    document_type = models.CharField(
        _("document type"), max_length=60, choices=workflow_choices(), unique=True
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow", verbose_name=_("workflow"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("workflow of a document type")
        verbose_name_plural = _("workflows of document types")

    def __str__(self):
        return f"{self.get_document_type_display()}: {self.workflow}"


def workflow_for(page):
    """The active workflow bound to this page's type, or None (Page.get_workflow of the documents,
    through core.providers.document_workflow)."""
    document_type = document_type_for(page)
    if document_type is None or not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    binding = (
        WorkflowBinding.objects.filter(document_type=document_type.workflow_key, workflow__active=True)
        .select_related("workflow")
        .first()
    )
    return binding.workflow if binding else None
