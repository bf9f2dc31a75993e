"""The roads in Wagtail's admin: read-only, with their bindings shown.

Wagtail's Workflows and Tasks screens would let an administrator disable a step (the road then skips
it silently), remove or reorder steps, or assign the workflow to pages (which has no effect on the
documents: their WorkflowBinding holds). For a road's workflow and its steps, those screens say what
the road is bound to and refuse every change; the road changes in workflows/road.py only.

The create form's submit button names the road the new document will follow: Wagtail names the
workflow of the parent page there, and the documents' workflow comes from their type.
"""

from django.apps import apps
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.models import WorkflowTask

from pages.doctypes import workflow_choices

from .models import WorkflowBinding, workflow_for

# Wagtail's workflow screens (namespace wagtailadmin_workflows) that change a workflow or a task.
WORKFLOW_VIEWS = {"edit", "disable", "remove"}
TASK_VIEWS = {"edit_task", "disable_task"}


def road_bindings():
    """{workflow id: [document type labels]} of the roads' workflows."""
    labels = dict(workflow_choices())
    bound = {}
    for document_type, workflow_id in WorkflowBinding.objects.values_list("document_type", "workflow_id"):
        bound.setdefault(workflow_id, []).append(str(labels.get(document_type, document_type)))
    return bound


def _road_workflow_of_task(task_id, bindings):
    return (
        WorkflowTask.objects.filter(task_id=task_id, workflow_id__in=list(bindings))
        .values_list("workflow_id", flat=True)
        .first()
    )


class RoadAdminGuardMiddleware(MiddlewareMixin):
    """Refuses, with a message, every change to a road's workflow or steps through Wagtail's screens."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "wagtailadmin_workflows":
            return None
        if match.url_name not in WORKFLOW_VIEWS | TASK_VIEWS:
            return None
        bindings = road_bindings()
        if match.url_name in TASK_VIEWS:
            workflow_id = _road_workflow_of_task(view_kwargs.get("pk"), bindings)
            back = reverse("wagtailadmin_workflows:task_index")
        else:
            workflow_id = view_kwargs.get("workflow_pk") or view_kwargs.get("pk")
            back = reverse("wagtailadmin_workflows:index")
        if workflow_id not in bindings:
            return None
        types = ", ".join(bindings[workflow_id])
        if request.method == "GET" and match.url_name in ("edit", "edit_task"):
            messages.warning(
                request,
                _(
                    "This is the road of: %(types)s. It applies to every document of that type wherever it "
                    "sits, whatever pages it is assigned to here. Its steps, their order and its binding are "
                    "defined in workflows/road.py and cannot be changed on this screen."
                )
                % {"types": types},
            )
            return None
        messages.error(
            request,
            _(
                "The road of %(types)s is defined in workflows/road.py: its steps cannot be disabled, "
                "removed, reordered or changed, and it cannot be assigned to pages here. Nothing was changed."
            )
            % {"types": types},
        )
        return redirect(back)


class RoadSubmitMenuItem(SubmitForModerationMenuItem):
    """"Submit to …" naming the road of the document being created."""

    def __init__(self, workflow, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workflow = workflow

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = _("Submit to %(workflow_name)s") % {"workflow_name": self.workflow.name}
        return context


def name_the_road_on_create(menu_items, request, context):
    """construct_page_action_menu hook: on the create form of a document, the submit button names the
    document type's road (the page-tree workflow of the parent is what Wagtail would name)."""
    if context.get("view") != "create":
        return
    match = request.resolver_match
    kwargs = match.kwargs if match is not None else {}
    try:
        model = apps.get_model(kwargs.get("content_type_app_name", ""), kwargs.get("content_type_model_name", ""))
    except (LookupError, ValueError):
        return
    workflow = workflow_for(model)
    if workflow is None:
        return
    for index, item in enumerate(menu_items):
        if item.name == SubmitForModerationMenuItem.name:
            menu_items[index] = RoadSubmitMenuItem(workflow, order=item.order)
