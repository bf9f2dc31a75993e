from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_user_display_name as user_display_name
from wagtail.log_actions import LogFormatter

from core import thaidate
from core.wagtail_compat import RESTART_WORKFLOW as RESTART_WORKFLOW_NAME
from core.wagtail_compat import (
    is_cancel_workflow_menu_item,
    is_cancel_workflow_post,
    is_restart_workflow_menu_item,
    posted_workflow_action,
    read_workflow_states_once,
    show_log_messages_with,
)
from pages.doctypes import document_type_for
from people.roles import is_chair_or_secretary_anywhere, is_committee_member, is_registrar
from registry.services import revoked_entry_of_charter

from .actions import LOG_APPLICATION_REJECTED, LOG_APPROVAL_RECORDED, LOG_MOVED_ON, WorkflowActionRefused
from .models import NetworkStepTask, WorkflowBinding, revoked_charter_message
from .my_documents import add_my_network_documents_panel
from .names import WORKFLOW_LOG_ACTIONS, translated_log_data
from .queue import AwaitingMyActionView
from .queue_panel import add_awaiting_my_action_panel
from .road_admin import name_the_road_on_create
from .state import StateKind, document_state, word_state
from .threshold_views import ApprovalThresholdsView

hooks.register("construct_homepage_panels", add_my_network_documents_panel)
hooks.register("construct_homepage_panels", add_awaiting_my_action_panel)
hooks.register("construct_page_action_menu", name_the_road_on_create)


@hooks.register("register_admin_urls")
def register_awaiting_my_action_urls():
    # Wagtail wraps these in its admin-access check: anonymous users go to the login page.
    return [
        path("awaiting-my-action/", AwaitingMyActionView.as_view(), name="workflows_awaiting_my_action"),
        path(
            "awaiting-my-action/results/",
            AwaitingMyActionView.as_view(results_only=True),
            name="workflows_awaiting_my_action_results",
        ),
        path("approval-thresholds/", ApprovalThresholdsView.as_view(), name="workflows_approval_thresholds"),
    ]


class ThresholdsMenuItem(MenuItem):
    def is_shown(self, request):
        # Cheap checks only (the menu is built on every admin page); the view checks each scope.
        user = request.user
        return user.is_superuser or is_registrar(user) or is_chair_or_secretary_anywhere(user)


@hooks.register("register_settings_menu_item")
def register_thresholds_menu_item():
    return ThresholdsMenuItem(
        _("Approvals required"), reverse("workflows_approval_thresholds"), icon_name="tasks", order=900
    )


class StepLogFormatter(LogFormatter):
    """A log entry of a step: its message names the step's task and the logged `data_keys`, its comment
    is the decision's."""

    message = ""
    data_keys = ()

    def format_message(self, log_entry):
        data = log_entry.data
        values = {key: data.get(key, "") for key in self.data_keys}
        return self.message % {"task": data.get("task", {}).get("title", ""), **values}

    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")


# (action, label, message, the logged values it names besides the task's title)
STEP_LOG_ACTIONS = (
    (LOG_APPLICATION_REJECTED, _("Application rejected"), _("Application rejected at “%(task)s”"), ()),
    (
        LOG_APPROVAL_RECORDED, _("Approval recorded"),
        _("Approved at “%(task)s”: %(approvals)s of %(required)s approvals"), ("approvals", "required"),
    ),
    (LOG_MOVED_ON, _("Moved on after the deadline"), _("“%(task)s” closed without a decision"), ()),
)


@hooks.register("register_log_actions")
def register_workflow_log_actions(actions):
    for action, label, message, data_keys in STEP_LOG_ACTIONS:
        formatter = type("StepLogFormatter", (StepLogFormatter,), {"label": label, "message": message, "data_keys": data_keys})
        actions.register_action(action)(formatter)


# After Wagtail's own and ours above: their messages name the workflow and step in the reader's language.
@hooks.register("register_log_actions", order=100)
def say_workflow_names_in_user_language(actions):
    show_log_messages_with(
        actions, (*WORKFLOW_LOG_ACTIONS, LOG_APPLICATION_REJECTED, LOG_APPROVAL_RECORDED, LOG_MOVED_ON),
        translated_log_data,
    )


@hooks.register("before_edit_page", order=-100)
def read_workflow_states_once_for_a_get(request, page):
    """The editor's GET changes no workflow: its many questions about the page's workflow read it once."""
    if request.method == "GET":
        read_workflow_states_once(page)
    return None


@hooks.register("before_edit_page")
def show_document_state(request, page):
    """The edit screen's header says only live/draft; the document's place on its road (and a
    rejection) is told at the top of the screen, in the user's admin language."""
    if request.method != "GET" or request.headers.get("x-requested-with") == "XMLHttpRequest":
        return None
    document_type = document_type_for(page)
    if document_type is None or not WorkflowBinding.objects.filter(document_type=document_type.workflow_key).exists():
        return None
    state = document_state(page)
    messages.info(request, _("Current state: %(state)s") % {"state": word_state(state)})
    if state.kind in (StateKind.CHANGES_REQUESTED, StateKind.REJECTED) and state.reason:
        # What to change, where the drafters change it (the same reason as the dashboard's).
        messages.warning(request, _("Reason given by %(who)s on %(date)s: %(reason)s") % {
            "who": user_display_name(state.by) if state.by else "—",
            "date": thaidate.format_date_for_language(state.since, get_language()),
            "reason": state.reason,
        })
    return None


@hooks.register("before_edit_page")
def refuse_amending_a_revoked_charter(request, page):
    """A charter whose registration was revoked cannot be submitted again (an amendment of a revoked
    registration); the network may file a new application, with a new charter. Nothing is saved."""
    if request.method != "POST":
        return None
    if not (request.POST.get("action-submit") or request.POST.get("action-restart-workflow")):
        return None
    entry = revoked_entry_of_charter(page.pk)
    if entry is None:
        return None
    messages.error(request, revoked_charter_message(entry))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def decide_without_saving_text(request, page):
    """At a step whose text is frozen (local office, province, registrar), a POST from the editor
    never saves the document: a workflow action is taken on its own, anything else is refused.
    Wagtail's edit view would otherwise save the form (and a new revision) before the action; and
    it lets anyone offered "approve" cancel the workflow (WorkflowState.user_can_cancel), saving
    their form as it does so: only the drafters may withdraw an application."""
    if request.method != "POST":
        return None
    task = page.current_workflow_task
    if not isinstance(task, NetworkStepTask) or not task.text_frozen_for_actors:
        return None
    if not task.user_is_actor(page, request.user):
        return None  # locked for them: Wagtail refuses the save itself
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    if is_cancel_workflow_post(request):
        messages.error(
            request,
            _(
                "Only the drafters may cancel the workflow. Decide with this step's actions instead. "
                "Nothing was changed."
            ),
        )
        return redirect(edit_url)
    workflow_action = posted_workflow_action(request)
    if workflow_action is None:
        messages.error(
            request,
            _(
                "The text cannot be changed at this step. To have it changed, request changes: it goes "
                "back to the drafters. Nothing was saved."
            ),
        )
        return redirect(edit_url)
    action_name, extra = workflow_action
    try:
        task.on_action(page.current_workflow_task_state, request.user, action_name, **extra)
    except WorkflowActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(edit_url)
    messages.success(
        request, _("Your decision on “%(title)s” was recorded.") % {"title": page.get_admin_display_title()}
    )
    page = page.__class__.objects.get(pk=page.pk)
    if page.permissions_for_user(request.user).can_edit():
        return redirect(edit_url)
    return redirect("wagtailadmin_home")


@hooks.register("before_edit_page")
def withdraw_for_every_drafter(request, page):
    """Any member of the document's own committee may withdraw it (cancel its workflow) from the editor.
    Wagtail lets only the submitter, the page's owner and those offered "approve" cancel: the same POST
    by the chair of a charter a member submitted was a locked form re-rendered (200) with the workflow
    still running. Nothing of the posted form is saved: a withdrawal stops the road, as Wagtail's own
    cancel by the submitter of a locked page does."""
    if request.method != "POST" or not is_cancel_workflow_post(request):
        return None
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.status != workflow_state.STATUS_IN_PROGRESS:
        return None
    if not is_committee_member(request.user, page):
        return None  # Wagtail's own rules (and decide_without_saving_text) answer
    task = page.current_workflow_task
    if isinstance(task, NetworkStepTask) and task.text_frozen_for_actors and task.user_is_actor(page, request.user):
        return None
    workflow_state.cancel(user=request.user)
    messages.success(
        request, _("Workflow on page '%(page_title)s' has been cancelled.") % {"page_title": page.get_admin_display_title()}
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_page_action_menu")
def hide_cancel_from_outside_reviewers(menu_items, request, context):
    """The editor offers "Cancel workflow" to anyone offered "approve"; at a frozen step its actors
    are refused it (decide_without_saving_text), so they are not offered it either."""
    page = context.get("page")
    task = getattr(page, "current_workflow_task", None) if context.get("view") == "edit" else None
    if isinstance(task, NetworkStepTask) and task.text_frozen_for_actors and task.user_is_actor(page, request.user):
        menu_items[:] = [item for item in menu_items if not is_cancel_workflow_menu_item(item)]


class RestartFromFirstStepMenuItem(ActionMenuItem):
    """Wagtail's "Restart workflow", said for what it does (back to the road's first step, unlike
    "Resubmit", which goes on at the step that asked for changes) and confirmed before it runs
    (static/js/admin-csp.js reads data-welfare-confirm)."""

    name = RESTART_WORKFLOW_NAME
    classname = "button--icon-flipped"
    icon_name = "login"
    template_name = "workflows/restart_from_first_step_menu_item.html"

    def __init__(self, order, first_step):
        super().__init__(order=order)
        self.first_step = first_step
        self.label = _("Restart from the first step (%(step)s)") % {"step": first_step}

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["confirm"] = _(
            "Restart the approval from its first step (%(step)s)? Every step decides again from the "
            "start. To go on at the step that asked for changes, choose “Resubmit” instead."
        ) % {"step": self.first_step}
        return context


@hooks.register("construct_page_action_menu")
def confirm_restart_from_first_step(menu_items, request, context):
    page = context.get("page")
    workflow_state = getattr(page, "current_workflow_state", None) if context.get("view") == "edit" else None
    if workflow_state is None:
        return
    for index, item in enumerate(menu_items):
        if is_restart_workflow_menu_item(item):
            first_task = workflow_state.workflow.tasks.first()  # Wagtail orders them by the road
            menu_items[index] = RestartFromFirstStepMenuItem(item.order, first_task.name if first_task else "")
