"""The road from a draft charter to a registered community welfare organization, on Wagtail's own
workflow engine.

Each step is a Wagtail Task subclass: configuration as class attributes (who acts, which actions,
which form each action needs) plus small overrides. Who holds a role comes from people.roles; the
state changes themselves live in workflows.actions, so that every way in (the admin's action modal,
the edit view, the deadline check) goes through the same guarded, atomic code.

What a decision recorded beyond Wagtail's TaskState (the adoption citation, the provincial
checklist, the reason for a request or a rejection) is kept in StepDecision and its companions,
ordinary models with django-simple-history.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Task, TaskState

from core.thaidate import format_date_for_language
from networks.models import NetworkPage
from pages.doctypes import document_models, document_type_for, workflow_choices
from people import roles
from people.models import (
    CommitteeMembership,
    CommitteeRole,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
)

from . import forms as action_forms

# --- Actions ---------------------------------------------------------------------------------------
# Wagtail's own names are kept where the meaning is Wagtail's: "approve" moves the application on,
# "reject" sends it back to the drafters (Wagtail's "needs changes", resumed on resubmission).
# "reject_application" is ours: it ends the application.
APPROVE = "approve"
REQUEST_CHANGES = "reject"
REJECT_APPLICATION = "reject_application"


class NetworkStepTask(Task):
    """A step whose actors are defined by a role towards the document's network.

    Subclasses set `actions` [(name, label, needs a form)], `action_forms` {name: form class}
    and implement `user_is_actor(obj, user)` and `actor_page_filter(user)`.
    """

    actions = []
    action_forms = {}
    # Steps taken by people outside the network (local office, province, registrar) review a fixed
    # text: their actors see the step's actions in the editor, but the editor saves nothing for them
    # (workflows.wagtail_hooks.decide_without_saving_text); everyone else finds the page locked.
    text_frozen_for_actors = False
    # What the document's state is called while it waits at this step (shown in listings).
    waiting_label = _("In review")
    # Whether an approval here is the authority to publish, when it ends the workflow
    # (workflows.finish.publish_approved_document).
    publishes_when_approved = False

    class Meta:
        abstract = True

    @staticmethod
    def network_of(obj):
        obj = obj.specific if type(obj) is Page else obj
        return getattr(obj, "network", None)

    def user_is_actor(self, obj, user):
        raise NotImplementedError

    def actor_page_filter(self, user):
        """A Q over pages (document pages) whose step this user may decide; None when none."""
        raise NotImplementedError

    def user_can_access_editor(self, obj, user):
        return self.user_is_actor(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_actor(obj, user)

    def get_actions(self, obj, user):
        if not self.user_is_actor(obj, user):
            return []
        return list(self.actions)

    def get_form_for_action(self, action):
        return self.action_forms.get(action, action_forms.OptionalCommentForm)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .actions import perform_action  # actions imports this module: at the top it would be circular

        return perform_action(self, task_state, user, action_name, kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user is None or not user.is_authenticated:
            return TaskState.objects.none()
        page_filter = self.actor_page_filter(user)
        if page_filter is None:
            return TaskState.objects.none()
        in_progress = TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS)
        if page_filter == models.Q():
            return in_progress  # every document (the registrar's step)
        page_ids = (
            Page.objects.filter(page_filter)
            .annotate(pk_text=Cast("pk", models.CharField()))
            .values("pk_text")
        )
        return in_progress.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=page_ids,
        )

    def get_actor_users(self, obj):
        """The users who must act at this step on `obj`, for notifications."""
        raise NotImplementedError

    def decision_summary(self, decision):
        """Extra lines for the history and e-mails, from the data this step records."""
        return []


def _document_ids(network_ids):
    """A Q over pages: the documents (charter, action plans, minutes) of the networks in `network_ids`
    (a values() queryset of network ids). Stays a subquery: no ids are read into Python."""
    query = models.Q(pk__in=[])
    for model in document_models():
        query |= models.Q(pk__in=model.objects.filter(network_id__in=network_ids).values("pk"))
    return query


class ChairOrSecretaryTask(NetworkStepTask):
    """Abstract: the chair or the secretary of the document's own network acts."""

    class Meta:
        abstract = True

    def user_is_actor(self, obj, user):
        return bool(user and user.is_authenticated) and roles.is_chair_or_secretary(user, obj)

    def actor_page_filter(self, user):
        networks = (
            CommitteeMembership.objects.active()
            .filter(user=user, role__in=[CommitteeRole.CHAIR, CommitteeRole.SECRETARY])
            .values("network_id")
        )
        return _document_ids(networks)

    def get_actor_users(self, obj):
        return roles.committee_users(self.network_of(obj), [CommitteeRole.CHAIR, CommitteeRole.SECRETARY])


class CommitteeReviewTask(ChairOrSecretaryTask):
    """Step 1: the network's chair or secretary approves the draft or sends it back."""

    actions = [
        (APPROVE, _("Approve"), False),
        (APPROVE, _("Approve with comment"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
    ]
    action_forms = {APPROVE: action_forms.OptionalCommentForm, REQUEST_CHANGES: action_forms.ReasonForm}
    waiting_label = _("Awaiting committee review")

    class Meta:
        verbose_name = _("committee review")
        verbose_name_plural = _("committee reviews")

    @classmethod
    def get_description(cls):
        return _("The chair or the secretary of the document's own network approves it or sends it back.")


class AssemblyAdoptionTask(ChairOrSecretaryTask):
    """Step 2: the assembly's adoption is recorded by citing the minutes and the agenda item whose
    resolution adopted this charter; a meeting without a quorum cannot adopt it."""

    actions = [
        (APPROVE, _("Record the adoption"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
    ]
    action_forms = {APPROVE: action_forms.AdoptionForm, REQUEST_CHANGES: action_forms.ReasonForm}
    waiting_label = _("Awaiting adoption by the assembly")

    class Meta:
        verbose_name = _("assembly adoption")
        verbose_name_plural = _("assembly adoptions")

    @classmethod
    def get_description(cls):
        return _(
            "The chair or secretary cites the minutes and agenda item whose resolution adopted the charter."
        )

    def get_template_for_action(self, action):
        if action == APPROVE:
            return "workflows/adoption_action_modal.html"
        return super().get_template_for_action(action)

    def decision_summary(self, decision):
        citation = getattr(decision, "adoption_citation", None)
        if citation is None:
            return []
        return [citation.describe()]


class LocalGovernmentCommentTask(NetworkStepTask):
    """Step 3: the local government office comments (a comment is required): the อบจ. for a provincial
    network, the municipality or อบต. for a district or tambon network. Without a comment within
    `deadline_days`, the application moves on by itself (workflows.deadlines)."""

    deadline_days = 30
    actions = [(APPROVE, _("Comment and forward"), True)]
    action_forms = {APPROVE: action_forms.RequiredCommentForm}
    text_frozen_for_actors = True
    waiting_label = _("Awaiting the local government's comment")

    class Meta:
        verbose_name = _("local government comment")
        verbose_name_plural = _("local government comments")

    @classmethod
    def get_description(cls):
        return _("The local government office comments within 30 days; after that the application moves on.")

    # Networks spanning several provinces answer to no local government: the step does not apply.
    levels_without_local_government = ("national", "region")

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        network = self.network_of(workflow_state.content_object)
        if network is not None and network.level in self.levels_without_local_government:
            from .actions import skip_step  # actions imports this module: at the top it would be circular

            reason = gettext(
                "No local government office has jurisdiction over a network at level “%(level)s”: "
                "this step does not apply."
            ) % {"level": network.get_level_display()}
            skip_step(task_state, reason)
        return task_state

    def user_is_actor(self, obj, user):
        return bool(user and user.is_authenticated) and roles.is_local_office_for(user, obj)

    def actor_page_filter(self, user):
        networks_filter = roles.local_office_network_filter(user)
        networks = NetworkPage.objects.filter(networks_filter).values("pk")
        return _document_ids(networks)

    def get_actor_users(self, obj):
        network = self.network_of(obj)
        if network is None:
            return get_user_model().objects.none()
        # The office assigned to the network (for a provincial network, its อบจ.) or a district or
        # tambon office above it; never the อบจ. of the province for a tambon's application.
        offices = roles.local_office_assignments_serving(network)
        return get_user_model().objects.filter(pk__in=offices.values("user_id"), is_active=True)


class ProvincialReviewTask(NetworkStepTask):
    """Step 4: an officer of the network's own province checks the file and forwards the application,
    requests changes or rejects it."""

    actions = [
        (APPROVE, _("Forward for registration"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
        (REJECT_APPLICATION, _("Reject the application"), True),
    ]
    action_forms = {
        APPROVE: action_forms.ProvincialChecklistForm,
        REQUEST_CHANGES: action_forms.ProvincialChecklistReasonForm,
        REJECT_APPLICATION: action_forms.ProvincialChecklistReasonForm,
    }
    text_frozen_for_actors = True
    waiting_label = _("Awaiting provincial review")

    class Meta:
        verbose_name = _("provincial review")
        verbose_name_plural = _("provincial reviews")

    @classmethod
    def get_description(cls):
        return _(
            "An officer of the network's province checks the file; forwards, requests changes or rejects."
        )

    def user_is_actor(self, obj, user):
        return bool(user and user.is_authenticated) and roles.is_provincial_officer_for(user, obj)

    def actor_page_filter(self, user):
        codes = roles.officer_province_codes(user)
        if not codes:
            return None
        networks = NetworkPage.objects.filter(province_code__in=codes).values("pk")
        return _document_ids(networks)

    def get_actor_users(self, obj):
        network = self.network_of(obj)
        code = getattr(network, "province_code", "")
        return get_user_model().objects.filter(
            pk__in=ProvincialOfficerAssignment.objects.active().filter(province_code=code).values("user_id"),
            is_active=True,
        )

    def decision_summary(self, decision):
        checklist = getattr(decision, "provincial_checklist", None)
        return [checklist.describe()] if checklist else []


class RegistrationTask(NetworkStepTask):
    """Step 5: a registrar records the certification decision. Approval registers the charter in
    the registry (registry.services.register) and the workflow then publishes it."""

    actions = [
        (APPROVE, _("Register"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
        (REJECT_APPLICATION, _("Refuse registration"), True),
    ]
    action_forms = {
        APPROVE: action_forms.RegistrationForm,
        REQUEST_CHANGES: action_forms.ReasonForm,
        REJECT_APPLICATION: action_forms.ReasonForm,
    }
    text_frozen_for_actors = True
    waiting_label = _("Awaiting registration")
    publishes_when_approved = True

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    @classmethod
    def get_description(cls):
        return _("A registrar records the decision; approval registers the charter and publishes it.")

    def user_is_actor(self, obj, user):
        return bool(user and user.is_authenticated) and roles.is_registrar(user)

    def actor_page_filter(self, user):
        if not roles.is_registrar(user):
            return None
        return models.Q()

    def get_actor_users(self, obj):
        return get_user_model().objects.filter(
            pk__in=RegistrarAssignment.objects.active().values("user_id"), is_active=True
        )


class MinutesCertificationTask(ChairOrSecretaryTask):
    """Minutes: the chair or the secretary certifies them; certified minutes are published."""

    actions = [
        (APPROVE, _("Certify"), False),
        (APPROVE, _("Certify with comment"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
    ]
    action_forms = {APPROVE: action_forms.OptionalCommentForm, REQUEST_CHANGES: action_forms.ReasonForm}
    waiting_label = _("Awaiting certification")
    publishes_when_approved = True

    class Meta:
        verbose_name = _("minutes certification")
        verbose_name_plural = _("minutes certifications")

    @classmethod
    def get_description(cls):
        return _("The chair or the secretary of the network certifies the minutes.")


class ActionPlanApprovalTask(NetworkStepTask):
    """Action plans: the chair of the network's committee approves them."""

    actions = [
        (APPROVE, _("Approve"), False),
        (APPROVE, _("Approve with comment"), True),
        (REQUEST_CHANGES, _("Request changes"), True),
    ]
    action_forms = {APPROVE: action_forms.OptionalCommentForm, REQUEST_CHANGES: action_forms.ReasonForm}
    waiting_label = _("Awaiting the chair's approval")
    publishes_when_approved = True

    class Meta:
        verbose_name = _("action plan approval")
        verbose_name_plural = _("action plan approvals")

    @classmethod
    def get_description(cls):
        return _("The chair of the network's committee approves the action plan.")

    def user_is_actor(self, obj, user):
        return (
            bool(user and user.is_authenticated) and roles.committee_role(user, obj) == CommitteeRole.CHAIR
        )

    def actor_page_filter(self, user):
        networks = (
            CommitteeMembership.objects.active()
            .filter(user=user, role=CommitteeRole.CHAIR)
            .values("network_id")
        )
        return _document_ids(networks)

    def get_actor_users(self, obj):
        return roles.committee_users(self.network_of(obj), [CommitteeRole.CHAIR])


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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
