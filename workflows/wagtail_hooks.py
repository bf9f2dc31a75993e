from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter

from core.wagtail_compat import is_cancel_workflow_menu_item, is_cancel_workflow_post, posted_workflow_action
from pages.doctypes import document_type_for

from .actions import LOG_APPLICATION_REJECTED, LOG_MOVED_ON, WorkflowActionRefused
from .models import NetworkStepTask, WorkflowBinding
from .my_documents import add_my_network_documents_panel
from .queue import AwaitingMyActionView
from .queue_panel import add_awaiting_my_action_panel
from .status import document_status

hooks.register("construct_homepage_panels", add_my_network_documents_panel)
hooks.register("construct_homepage_panels", add_awaiting_my_action_panel)


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
    ]


@hooks.register("register_log_actions")
def register_workflow_log_actions(actions):
    @actions.register_action(LOG_APPLICATION_REJECTED)
    class ApplicationRejected(LogFormatter):
        label = _("Application rejected")

        def format_message(self, log_entry):
            return _("Application rejected at “%(task)s”") % {
                "task": log_entry.data.get("task", {}).get("title", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action(LOG_MOVED_ON)
    class MovedOnAfterDeadline(LogFormatter):
        label = _("Moved on after the deadline")

        def format_message(self, log_entry):
            return _("“%(task)s” closed without a decision") % {
                "task": log_entry.data.get("task", {}).get("title", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


@hooks.register("before_edit_page")
def show_document_state(request, page):
    """The edit screen's header says only live/draft; the document's place on its road (and a
    rejection) is told at the top of the screen, in the user's admin language."""
    if request.method != "GET" or request.headers.get("x-requested-with") == "XMLHttpRequest":
        return None
    document_type = document_type_for(page)
    if document_type is None or not WorkflowBinding.objects.filter(document_type=document_type.workflow_key).exists():
        return None
    messages.info(request, _("Current state: %(state)s") % {"state": document_status(page)})
    return None


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


@hooks.register("construct_page_action_menu")
def hide_cancel_from_outside_reviewers(menu_items, request, context):
    """The editor offers "Cancel workflow" to anyone offered "approve"; at a frozen step its actors
    are refused it (decide_without_saving_text), so they are not offered it either."""
    page = context.get("page")
    task = getattr(page, "current_workflow_task", None) if context.get("view") == "edit" else None
    if isinstance(task, NetworkStepTask) and task.text_frozen_for_actors and task.user_is_actor(page, request.user):
        menu_items[:] = [item for item in menu_items if not is_cancel_workflow_menu_item(item)]
