"""The road of each document type, in one place: its steps in order, who acts at each, the decisions
each offers and the form each asks for, what a decision records, its deadline and reminders, whether
the text is frozen for the step's actors, whether approving it registers or publishes, and its words.

Everything else reads this: the task classes (workflows.models) take their actions, forms and flags
from their step; the deadlines, the reminders, the overdue marks of the queue, publishing at the end
and the state in words (workflows.state) read the step; the workflows in the database are built from
it (workflows.building.build_roads, run by migration 0003, `manage.py build_roads` and `load_demo`)
and checked against it (`manage.py check`, workflows.building.check_roads).

A new step that reuses a role: a Step below, its Task subclass in workflows.models (Meta and, if its
decision records more than a StepDecision, a `record_decision` override) and a migration creating
the subclass's table and running build_roads. Nothing else names steps.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import actors
from . import forms as action_forms

# Wagtail's own names are kept where the meaning is Wagtail's: "approve" moves the application on,
# "reject" sends it back to the drafters (Wagtail's "needs changes", resumed on resubmission).
# "reject_application" is ours: it ends the application.
APPROVE = "approve"
REQUEST_CHANGES = "reject"
REJECT_APPLICATION = "reject_application"


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    form: type = action_forms.OptionalCommentForm
    # Whether Wagtail opens a dialog asking for the form's data first.
    asks: bool = True


@dataclass(frozen=True)
class Reminders:
    """The step's actors are reminded after `first_after_days` waiting, then every `every_days`."""

    first_after_days: int
    every_days: int


# Where a threshold-capable step's k is set (workflows.models.ApprovalThreshold).
THRESHOLD_PER_NETWORK = "network"
THRESHOLD_PER_PROVINCE = "province"


@dataclass(frozen=True)
class Step:
    key: str
    # The step's Task subclass, "app_label.ModelName".
    task_model: str
    actors: actors.Actors
    # The step's name ("Committee review"), what a document waiting there is ("Awaiting committee
    # review") and what the step does, for the admin.
    label: Promise
    waiting_label: Promise
    description: Promise
    actions: tuple
    # What an approval records besides the decision and its comment (said in words, for readers of
    # this list; the recording itself is the task class's record_decision).
    records: Promise = _("the decision and its comment")
    # After this many days without a decision the step closes by itself and the road moves on.
    deadline_days: int | None = None
    # The queue marks a step overdue after this many days (default: its deadline).
    overdue_after_days: int | None = None
    reminders: Reminders | None = None
    # Steps taken by people outside the network review a fixed text: the editor saves nothing for
    # them (workflows.wagtail_hooks.decide_without_saving_text).
    text_frozen: bool = False
    # Approving registers the document in the registry (registry.services.register).
    registers: bool = False
    # Approving is the authority to publish when it ends the road (workflows.finish).
    publishes: bool = False
    # Network levels for which the step does not apply: it closes as it starts.
    skipped_for_levels: tuple = ()
    # A threshold-capable step may require k approvals of its n actors (workflows.thresholds); k is
    # set per network (THRESHOLD_PER_NETWORK) or per province (THRESHOLD_PER_PROVINCE), 1 by default.
    threshold: str | None = None

    @property
    def task_class(self):
        return apps.get_model(self.task_model)

    @property
    def overdue_days(self):
        return self.overdue_after_days or self.deadline_days

    def form_for(self, action_name):
        for action in self.actions:
            if action.name == action_name:
                return action.form
        return action_forms.OptionalCommentForm

    def wagtail_actions(self):
        """[(name, label, asks)] as Wagtail's Task.get_actions returns them."""
        return [(action.name, action.label, action.asks) for action in self.actions]


@dataclass(frozen=True)
class Road:
    # pages.doctypes key of the document type that follows this road.
    document_type: str
    name: Promise
    steps: tuple = field(default_factory=tuple)

    def step(self, key):
        for step in self.steps:
            if step.key == key:
                return step
        raise LookupError(f"No step {key!r} on the road of {self.document_type!r}.")


_COMMENT = action_forms.OptionalCommentForm
_REASON = action_forms.ReasonForm
_CHECKLIST_REASON = action_forms.ProvincialChecklistReasonForm


def _sign_off(approve_label, approve_with_comment_label):
    """The decisions of a step its actor signs off: approve at once, approve with a comment, or request
    changes with the reason."""
    return (
        Action(APPROVE, approve_label, _COMMENT, asks=False),
        Action(APPROVE, approve_with_comment_label, _COMMENT),
        Action(REQUEST_CHANGES, _("Request changes"), _REASON),
    )


ROADS = (
    Road(
        document_type="charter",
        name=_("Charter: from draft to registration"),
        steps=(
            Step(
                key="committee_review",
                task_model="workflows.CommitteeReviewTask",
                actors=actors.CHAIR_OR_SECRETARY,
                label=_("Committee review"),
                waiting_label=_("Awaiting committee review"),
                description=_(
                    "The chair or the secretary of the document's own network approves it or sends it back."
                ),
                actions=_sign_off(_("Approve"), _("Approve with comment")),
                threshold=THRESHOLD_PER_NETWORK,
            ),
            Step(
                key="assembly_adoption",
                task_model="workflows.AssemblyAdoptionTask",
                actors=actors.CHAIR_OR_SECRETARY,
                label=_("Assembly adoption"),
                waiting_label=_("Awaiting adoption by the assembly"),
                description=_(
                    "The chair or secretary cites the minutes and agenda item whose resolution adopted the charter."
                ),
                actions=(
                    Action(APPROVE, _("Record the adoption"), action_forms.AdoptionForm),
                    Action(REQUEST_CHANGES, _("Request changes"), _REASON),
                ),
                records=_("the minutes and agenda item that adopted the text, with the quorum"),
            ),
            Step(
                key="local_government_comment",
                task_model="workflows.LocalGovernmentCommentTask",
                actors=actors.LOCAL_OFFICE,
                label=_("Local government comment"),
                waiting_label=_("Awaiting the local government's comment"),
                description=_(
                    "The local government office comments within 30 days; after that the application moves on."
                ),
                actions=(Action(APPROVE, _("Comment and forward"), action_forms.RequiredCommentForm),),
                records=_("the office's comment"),
                deadline_days=30,
                text_frozen=True,
                # Networks spanning several provinces answer to no local government.
                skipped_for_levels=("national", "region"),
            ),
            Step(
                key="provincial_review",
                task_model="workflows.ProvincialReviewTask",
                actors=actors.PROVINCIAL_OFFICERS,
                label=_("Provincial review"),
                waiting_label=_("Awaiting provincial review"),
                description=_(
                    "An officer of the network's province checks the file; forwards, requests changes or rejects."
                ),
                actions=(
                    Action(APPROVE, _("Forward for registration"), action_forms.ProvincialChecklistForm),
                    Action(REQUEST_CHANGES, _("Request changes"), _CHECKLIST_REASON),
                    Action(REJECT_APPLICATION, _("Reject the application"), _CHECKLIST_REASON),
                ),
                records=_("the file checklist"),
                threshold=THRESHOLD_PER_PROVINCE,
                overdue_after_days=14,
                reminders=Reminders(first_after_days=14, every_days=7),
                text_frozen=True,
            ),
            Step(
                key="registration",
                task_model="workflows.RegistrationTask",
                actors=actors.REGISTRARS,
                label=_("Registration"),
                waiting_label=_("Awaiting registration"),
                description=_("A registrar records the decision; approval registers the charter and publishes it."),
                actions=(
                    Action(APPROVE, _("Register"), action_forms.RegistrationForm),
                    Action(REQUEST_CHANGES, _("Request changes"), _REASON),
                    Action(REJECT_APPLICATION, _("Refuse registration"), _REASON),
                ),
                records=_("the registry entry and its number"),
                text_frozen=True,
                registers=True,
                publishes=True,
            ),
        ),
    ),
    Road(
        document_type="minutes",
        name=_("Meeting minutes: certification"),
        steps=(
            Step(
                key="minutes_certification",
                task_model="workflows.MinutesCertificationTask",
                actors=actors.CHAIR_OR_SECRETARY,
                label=_("Minutes certification"),
                waiting_label=_("Awaiting certification"),
                description=_("The chair or the secretary of the network certifies the minutes."),
                actions=_sign_off(_("Certify"), _("Certify with comment")),
                publishes=True,
            ),
        ),
    ),
    Road(
        document_type="plan",
        name=_("Action plan: approval"),
        steps=(
            Step(
                key="action_plan_approval",
                task_model="workflows.ActionPlanApprovalTask",
                actors=actors.CHAIR,
                label=_("Action plan approval"),
                waiting_label=_("Awaiting the chair's approval"),
                description=_("The chair of the network's committee approves the action plan."),
                actions=_sign_off(_("Approve"), _("Approve with comment")),
                publishes=True,
            ),
        ),
    ),
)


def roads():
    return ROADS


def road_for(document_type_key, road_list=None):
    """The road of a document type ("charter", "minutes", "plan"); LookupError for another."""
    for road in road_list or ROADS:
        if road.document_type == document_type_key:
            return road
    raise LookupError(f"No road for document type {document_type_key!r}.")


def step_for_model(model, road_list=None):
    """The step whose task class is `model` (a Task subclass or its "app_label.modelname"), or None."""
    label = model.lower() if isinstance(model, str) else model._meta.label_lower
    for road in road_list or ROADS:
        for step in road.steps:
            if step.task_model.lower() == label:
                return step
    return None


def threshold_steps(road_list=None):
    """The threshold-capable steps of every road, in road order."""
    return [step for road in road_list or ROADS for step in road.steps if step.threshold]


def step_by_key(key, road_list=None):
    for road in road_list or ROADS:
        for step in road.steps:
            if step.key == key:
                return step
    return None


def step_for_task(task):
    """The step of a Task row (base or specific): its content type names the class, which Django's
    content-type cache answers without a query."""
    if task is None:
        return None
    model = ContentType.objects.get_for_id(task.content_type_id).model_class()
    return step_for_model(model) if model is not None else None
