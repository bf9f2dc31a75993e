"""The dashboard panel "Awaiting my action": the workflow steps this user may decide now, overdue first,
then oldest first; the full list is the queue (workflows.queue), reached from the panel.

Each active task says itself which task states a user may moderate (`get_task_states_user_can_moderate`,
which our workflow tasks narrow by role: an officer gets their own provinces only). The panel ORs the
answers of every active task together (our steps give theirs as one condition, a subquery per role) and
reads the states in one query; the documents behind them are read with one query per document type. So
the number of queries depends on the number of task types, never on the number of items waiting.
"""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Task, TaskState

from core.geography import province_name

from .models import NetworkStepTask, steps_moderation_condition
from .road import step_for_model
from .thresholds import progress_for_rows

# Tasks outside the roads (Wagtail's own, another app's) may be given a limit here, by model label.
DEFAULT_OVERDUE_AFTER_DAYS = {}


def overdue_after_days(task):
    """After how many days a waiting step is overdue: its road step says (its overdue limit, or its
    legal deadline such as the local office's 30 days); for other tasks, DEFAULT_OVERDUE_AFTER_DAYS."""
    step = step_for_model(type(task))
    if step is not None:
        return step.overdue_days
    return DEFAULT_OVERDUE_AFTER_DAYS.get(task._meta.label_lower)


def step_label(task):
    """The step's name in the current language (the road's words; Wagtail's name for other tasks)."""
    step = step_for_model(type(task)) if task is not None else None
    if step is not None:
        return str(step.label)
    return task.name if task is not None else ""


def active_tasks():
    """{task id: specific task} of every active task (one query per task type)."""
    return {task.pk: task for task in Task.objects.filter(active=True).specific()}


def moderation_condition(user, tasks):
    """A Q over TaskState: the in-progress states of these tasks that `user` may moderate; None when
    there are none. Our steps answer together, as one condition (workflows.models.steps_moderation_condition:
    a subquery per role rather than a nested queryset per task, which the ORM was slow to build); any
    other task (Wagtail's group approval) with its own `get_task_states_user_can_moderate`."""
    tasks = list(tasks)
    condition = steps_moderation_condition(user, [task for task in tasks if isinstance(task, NetworkStepTask)])
    for task in tasks:
        if isinstance(task, NetworkStepTask):
            continue
        states = task.get_task_states_user_can_moderate(user=user)
        if not states.query.is_empty():
            moderated = Q(pk__in=states.values("pk"))
            condition = moderated if condition is None else condition | moderated
    return condition


def task_states_user_can_act_on(user, tasks=None):
    """A TaskState queryset: the in-progress states of every active task that `user` may moderate."""
    if tasks is None:
        tasks = Task.objects.filter(active=True).specific()
    moderation = moderation_condition(user, tasks)
    if moderation is None:
        return TaskState.objects.none()
    return TaskState.objects.filter(moderation, status=TaskState.STATUS_IN_PROGRESS)


def compiled_once(queryset):
    """`queryset` as SQL, compiled now, to be a subquery several times over; None when it matches
    nothing. The ORM would otherwise copy and compile all of its nested subqueries again at every use."""
    try:
        return RawSQL(*queryset.query.sql_with_params())
    except EmptyResultSet:
        return None


def overdue_condition(tasks, now):
    """A Q over TaskState: started longer ago than its task's limit. None when no task has a limit."""
    ids_by_days = defaultdict(list)
    for task in tasks:
        days = overdue_after_days(task)
        if days:
            ids_by_days[days].append(task.pk)
    if not ids_by_days:
        return None
    condition = Q(pk__in=[])
    for days, ids in sorted(ids_by_days.items()):
        condition |= Q(task_id__in=ids, started_at__lt=now - datetime.timedelta(days=days))
    return condition


def awaiting_my_action(user, tasks, now=None):
    """The states `user` may act on, annotated `is_overdue` and ordered overdue first, then oldest first,
    all in the database, so that a slice of it (a page of the queue, the panel) is the right slice."""
    now = now or timezone.now()
    condition = overdue_condition(tasks, now)
    is_overdue = (
        Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        if condition is not None
        else Value(False, output_field=BooleanField())
    )
    # The permission part, compiled once: the count, the page, the queue's filter choices all embed it,
    # and compiling its nested subqueries again for each was most of the cost of the panel and queue.
    can_act_on = compiled_once(task_states_user_can_act_on(user, tasks).values("pk"))
    states = TaskState.objects.filter(pk__in=can_act_on) if can_act_on is not None else TaskState.objects.none()
    return (
        states.annotate(is_overdue=is_overdue)
        .select_related("workflow_state", "workflow_state__requested_by")
        .order_by("-is_overdue", "started_at", "pk")
    )


def describe(states, tasks, now=None):
    """One dict per state for the panel and the queue: the document (read with one query per document
    type), its network and province, the step, who submitted it, since when, overdue or not. States whose
    document was deleted are left out."""

    now = now or timezone.now()
    objects = _objects_for(states)
    progress = progress_for_rows(
        [
            (step_for_model(type(tasks.get(state.task_id))) if tasks.get(state.task_id) else None, state,
             objects.get((state.workflow_state.content_type_id, str(state.workflow_state.object_id))))
            for state in states
        ]
    )
    items = []
    for state in states:
        workflow_state = state.workflow_state
        obj = objects.get((workflow_state.content_type_id, str(workflow_state.object_id)))
        if obj is None:  # the document was deleted
            continue
        task = tasks.get(state.task_id)
        waited = now - state.started_at
        limit = overdue_after_days(task) if task is not None else None
        network = getattr(obj, "network", None) if hasattr(obj, "network_id") else None
        province_code = getattr(network, "province_code", "") or ""
        is_overdue = getattr(state, "is_overdue", None)
        if is_overdue is None:
            is_overdue = bool(limit) and waited > datetime.timedelta(days=limit)
        is_page = isinstance(obj, Page)
        task_name = step_label(task)
        step_progress = progress.get(state.pk)
        if step_progress is not None and step_progress.shown:
            # The same words as the state (workflows.state.word_state).
            task_name = _("%(waiting)s (approved %(approvals)s of %(required)s)") % {
                "waiting": task_name, "approvals": step_progress.approvals, "required": step_progress.required,
            }
        items.append(
            {
                "task_state": state,
                "task": task,
                "task_name": task_name,
                "progress": step_progress,
                "object": obj,
                "title": obj.get_admin_display_title() if is_page else str(obj),
                "document_type": obj._meta.verbose_name,
                "network": network,
                "network_title": network.title if network is not None else "",
                "province_code": province_code,
                "province_name": province_name(province_code, english=False, default=""),
                "edit_url": _edit_url(obj),
                "review_url": (
                    reverse("wagtailadmin_pages:workflow_preview", args=(obj.pk, state.task_id)) if is_page else ""
                ),
                "requested_by": workflow_state.requested_by,
                "started_at": state.started_at,
                "waited_days": waited.days,
                "overdue_after_days": limit,
                "is_overdue": bool(is_overdue),
            }
        )
    return items


def _objects_for(states):
    """{(content type id, object id as text): object}, one query per type of document."""
    ids_by_type = defaultdict(set)
    for state in states:
        ids_by_type[state.workflow_state.content_type_id].add(state.workflow_state.object_id)
    objects = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        queryset = model._default_manager.filter(pk__in=ids).order_by()  # read into a dict: no order needed
        if any(f.name == "network" and f.is_relation for f in model._meta.get_fields()):
            queryset = queryset.select_related("network")
        for obj in queryset:
            objects[(content_type_id, str(obj.pk))] = obj
    return objects


def _edit_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=(obj.pk,))
    return AdminURLFinder().get_edit_url(obj)


class AwaitingMyActionPanel(Component):
    name = "awaiting_my_action"
    template_name = "workflows/queue_panel/awaiting_my_action.html"
    # Before Wagtail's own panels: this is the first thing an approver needs.
    order = 50
    # The first few, overdue first; the whole queue is one click away (workflows.queue).
    max_items = 15

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        context["request"] = request
        items, total = self.get_items(request.user)
        context["items"] = items
        context["total"] = total
        context["more"] = total - len(items)
        context["queue_url"] = reverse("workflows_awaiting_my_action")
        return context

    def get_items(self, user, now=None):
        now = now or timezone.now()
        tasks = active_tasks()
        states = awaiting_my_action(user, tasks.values(), now)
        total = states.count()
        if not total:
            return [], 0
        return describe(list(states[: self.max_items]), tasks, now), total


def add_awaiting_my_action_panel(request, panels):
    """construct_homepage_panels hook: put our panel first and drop Wagtail's "Awaiting your review",
    which lists the same states but reads each one's actions and task list separately (a query or more
    per item)."""
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "workflow_objects_to_moderate"]
    panels.append(AwaitingMyActionPanel())
