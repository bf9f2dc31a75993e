"""The workflows in the database, built from the roads (workflows.road) and checked against them.

`build_roads()` makes each road's Wagtail workflow what the road says: one active task of each step's
class, in the road's order, nothing else, named in the site's language, bound to its document type
(WorkflowBinding) and to nothing else. Running it again changes nothing. Migration 0003, `manage.py
build_roads` and `load_demo` run it; a migration adding a step runs it too.

`road_problems()` says how the database differs from the roads; `check_roads` turns that into
`manage.py check` errors (registered in WorkflowsConfig.ready()).

Both take `apps` so that a migration can pass its historical models.
"""

from django.apps import apps as django_apps
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pages.doctypes import document_type

from .road import roads

# Wagtail's own first workflow (wagtailcore's migrations create it and assign it to the root page):
# it is what non-document pages (the networks' pages) follow, so it is kept, named for what it does.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
WAGTAIL_DEFAULT_WORKFLOW_LABEL = _("Page approval by moderators")
HINT = "Run `manage.py build_roads` to rebuild the workflows from workflows/road.py."


def _in_site_language(label):
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _models(apps):
    get = apps.get_model
    return {
        "ContentType": get("contenttypes", "ContentType"),
        "Workflow": get("wagtailcore", "Workflow"),
        "WorkflowTask": get("wagtailcore", "WorkflowTask"),
        "WorkflowPage": get("wagtailcore", "WorkflowPage"),
        "WorkflowContentType": get("wagtailcore", "WorkflowContentType"),
        "WorkflowState": get("wagtailcore", "WorkflowState"),
        "Task": get("wagtailcore", "Task"),
        "WorkflowBinding": get("workflows", "WorkflowBinding"),
    }


def _content_type(m, task_model):
    app_label, model_name = task_model.lower().split(".")
    content_type, _created = m["ContentType"].objects.get_or_create(app_label=app_label, model=model_name)
    return content_type


def _content_type_id(m, task_model):
    """The content type of a step's class, without creating it (None before it exists)."""
    app_label, model_name = task_model.lower().split(".")
    return m["ContentType"].objects.filter(app_label=app_label, model=model_name).values_list("pk", flat=True).first()


def build_roads(apps=django_apps, road_list=None):
    """Make the database's workflows follow the roads. Returns what changed, one line per change."""
    m = _models(apps)
    changes = []
    with transaction.atomic():
        for road in road_list or roads():
            changes += _build_road(apps, m, road)
        changes += _tidy_wagtail_default_workflow(m)
    return changes


def _build_road(apps, m, road):
    changes = []
    workflow_key = document_type(road.document_type).workflow_key
    name = _in_site_language(road.name)
    binding = m["WorkflowBinding"].objects.filter(document_type=workflow_key).select_related("workflow").first()
    workflow = binding.workflow if binding is not None else None
    if workflow is None:
        workflow = m["Workflow"].objects.create(name=name, active=True)
        changes.append(f"{road.document_type}: workflow created")
    if workflow.name != name or not workflow.active:
        workflow.name, workflow.active = name, True
        workflow.save(update_fields=["name", "active"])
        changes.append(f"{road.document_type}: workflow named and active")

    links = list(m["WorkflowTask"].objects.filter(workflow=workflow).select_related("task"))
    kept = set()
    for order, step in enumerate(road.steps):
        content_type = _content_type(m, step.task_model)
        model = apps.get_model(step.task_model)
        link = next((x for x in links if x.task.content_type_id == content_type.pk and x.pk not in kept), None)
        if link is None:
            task = model.objects.create(
                name=_in_site_language(step.label), content_type=content_type, active=True
            )
            link = m["WorkflowTask"].objects.create(workflow=workflow, task_id=task.pk, sort_order=order)
            changes.append(f"{road.document_type}: step {step.key} added")
        kept.add(link.pk)
        task = link.task
        label = _in_site_language(step.label)
        if task.name != label or not task.active:
            m["Task"].objects.filter(pk=task.pk).update(name=label, active=True)
            changes.append(f"{road.document_type}: step {step.key} named and active")
        if link.sort_order != order:
            m["WorkflowTask"].objects.filter(pk=link.pk).update(sort_order=order)
            changes.append(f"{road.document_type}: step {step.key} put at {order + 1}")
        # A road's task serves its road only.
        others = m["WorkflowTask"].objects.filter(task_id=task.pk).exclude(workflow=workflow)
        if others.delete()[0]:
            changes.append(f"{road.document_type}: step {step.key} taken out of other workflows")
    extra = [x.pk for x in links if x.pk not in kept]
    if extra:
        m["WorkflowTask"].objects.filter(pk__in=extra).delete()
        changes.append(f"{road.document_type}: {len(extra)} step(s) not on the road removed")
    # Wagtail's own bindings of a road workflow (to pages, to snippet types) have no effect on the
    # documents and would send other pages down the road: the document type's binding alone holds.
    for model_name in ("WorkflowPage", "WorkflowContentType"):
        if m[model_name].objects.filter(workflow=workflow).delete()[0]:
            changes.append(f"{road.document_type}: {model_name} bindings removed")
    if binding is None:
        m["WorkflowBinding"].objects.create(document_type=workflow_key, workflow=workflow)
        changes.append(f"{road.document_type}: bound")
    return changes


def _tidy_wagtail_default_workflow(m):
    workflow = m["Workflow"].objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).first()
    if workflow is None:
        return []
    used = (
        m["WorkflowPage"].objects.filter(workflow=workflow).exists()
        or m["WorkflowContentType"].objects.filter(workflow=workflow).exists()
        or m["WorkflowState"].objects.filter(workflow=workflow).exists()
    )
    if not used:
        workflow.delete()
        return ["Wagtail's unused “Moderators approval” workflow deleted"]
    name = _in_site_language(WAGTAIL_DEFAULT_WORKFLOW_LABEL)
    workflow.name = name
    workflow.save(update_fields=["name"])
    # Its one step, also called "Moderators approval", is named the same way.
    m["Task"].objects.filter(
        name=WAGTAIL_DEFAULT_WORKFLOW, pk__in=m["WorkflowTask"].objects.filter(workflow=workflow).values("task_id")
    ).update(name=name)
    return ["Wagtail's “Moderators approval” workflow renamed"]


# --- Checking -------------------------------------------------------------------------------------


def road_problems(apps=django_apps, road_list=None):
    """[(road's document type, message)] for every way the database's workflows differ from the roads."""
    m = _models(apps)
    problems = []
    for road in road_list or roads():
        workflow_key = document_type(road.document_type).workflow_key
        binding = m["WorkflowBinding"].objects.filter(document_type=workflow_key).select_related("workflow").first()
        if binding is None:
            problems.append((road.document_type, "no workflow is bound to the document type"))
            continue
        workflow = binding.workflow
        if not workflow.active:
            problems.append((road.document_type, f"its workflow “{workflow.name}” is disabled"))
        links = list(
            m["WorkflowTask"].objects.filter(workflow=workflow).select_related("task").order_by("sort_order", "pk")
        )
        expected = [_content_type_id(m, step.task_model) for step in road.steps]
        found = [link.task.content_type_id for link in links]
        for step, content_type_id in zip(road.steps, expected, strict=True):
            if content_type_id not in found:
                problems.append((road.document_type, f"step “{step.key}” was removed from the workflow"))
        for link in links:
            if link.task.content_type_id not in expected:
                problems.append((road.document_type, f"the workflow has a step that is not on the road: “{link.task.name}”"))
            elif not link.task.active:
                key = road.steps[expected.index(link.task.content_type_id)].key
                problems.append((road.document_type, f"step “{key}” is disabled: it would be skipped silently"))
        on_road = [ct for ct in found if ct in expected]
        if on_road != [ct for ct in expected if ct in on_road] or len(on_road) != len(set(on_road)):
            problems.append((road.document_type, "the steps are not in the road's order"))
        elsewhere = []
        if m["WorkflowPage"].objects.filter(workflow=workflow).exists():
            elsewhere.append("pages")
        if m["WorkflowContentType"].objects.filter(workflow=workflow).exists():
            elsewhere.append("snippet types")
        if m["WorkflowBinding"].objects.filter(workflow=workflow).exclude(pk=binding.pk).exists():
            elsewhere.append("another document type")
        task_ids = [link.task_id for link in links]
        if m["WorkflowTask"].objects.filter(task_id__in=task_ids).exclude(workflow=workflow).exists():
            elsewhere.append("another workflow (sharing its steps)")
        if elsewhere:
            problems.append((road.document_type, f"its workflow is also bound to {', '.join(elsewhere)}"))
    return problems


def check_roads(app_configs=None, **kwargs):
    """`manage.py check`: an error for each difference between the roads and the database. Says
    nothing before the tables exist (a database not migrated yet)."""
    try:
        problems = road_problems()
    except DatabaseError:
        return []
    return [
        checks.Error(f"The road of “{key}” is bent: {message}.", hint=HINT, id="workflows.E001")
        for key, message in problems
    ]
