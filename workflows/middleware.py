"""Turns a refused workflow decision into a clear message instead of an error page.

Wagtail's workflow views call Task.on_action without catching anything, and refuse with a bare 403
when the step the user acted on has already moved on (a double submit). Both cases end here: the
message says what happened, the user goes back to the document, and nothing was changed (the
decision ran in a transaction that was rolled back)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page, TaskState, WorkflowState

from core.wagtail_compat import edited_page_id, workflow_action_target

from .actions import WorkflowActionRefused
from .models import StepApproval
from .thresholds import already_approved_message


class WorkflowActionErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A decision on a step that is no longer the one in progress (a double submit, an old tab):
        say so plainly, before Wagtail's view answers with a bare permission error."""
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        target = workflow_action_target(request)
        if target is None:
            return None
        page_id, task_state_id = target
        # One query answers both questions: is the step still awaiting a decision (None when not), and
        # has this user already approved it this round.
        already_approved = TaskState.objects.filter(
            pk=task_state_id,
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__object_id=page_id,
        ).values_list(
            Exists(StepApproval.objects.filter(task_state_id=OuterRef("pk"), user=request.user)), flat=True
        ).first()
        if already_approved is None:
            return self._refuse(
                request,
                page_id,
                _(
                    "This step is not awaiting a decision any more (it may have been decided already). "
                    "Nothing was changed."
                ),
            )
        if already_approved:
            # A signer of a k-of-n step who approved this round: Wagtail's view would answer with a bare
            # permission error, since nothing is offered them any more (NetworkStepTask.get_actions).
            return self._refuse(request, page_id, already_approved_message())
        return None

    def _refuse(self, request, page_id, message):
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"step": "error", "error": message}, status=400)
        messages.error(request, message)
        return redirect(_back_to(request, page_id))

    def process_exception(self, request, exception):
        if request.method != "POST":
            return None
        target = workflow_action_target(request)
        page_id = target[0] if target is not None else edited_page_id(request)
        if page_id is None:
            return None
        if isinstance(exception, WorkflowActionRefused):
            message = exception.message
        elif isinstance(exception, PermissionDenied) and target is not None:
            message = _(
                "This step is not awaiting your decision (it may have been decided already, or it is "
                "not yours to decide). Nothing was changed."
            )
        else:
            return None
        return self._refuse(request, page_id, message)


def _back_to(request, page_id):
    page = Page.objects.filter(pk=page_id).first()
    if page is not None and page.permissions_for_user(request.user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=(page_id,))
    return reverse("wagtailadmin_home")
