"""The queue "Awaiting my action": every workflow step this user may decide now, paginated and filterable
(province, step, document type, overdue, title), overdue first then oldest first. The dashboard panel
shows the first few of the same list (workflows.queue_panel) and links here.

Permission is on the server and comes first: the rows are always `task_states_user_can_act_on(user)`,
and a filter can only narrow them. A user with no approver role gets the page with an empty list (the
same answer as the panel), not a 403: Wagtail's stock group tasks can make anyone an approver, so the
list itself is the only reliable test. Filter values outside the user's choices (another officer's
province, an unknown step) are ignored with a message. The query count does not depend on the number of
items: one count, one page of states, one query per document type on the page.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.models import Page, TaskState

from core.geography import province_name
from networks.models import NetworkPage
from pages.doctypes import document_models, document_types, workflow_choices
from people.roles import officer_province_codes

from .queue_panel import active_tasks, awaiting_my_action, describe, step_label


def _as_text(queryset):
    # WorkflowState.object_id is text; compare it with page ids cast to text (as Wagtail does).
    return queryset.annotate(pk_text=Cast("pk", CharField())).values("pk_text")


def _pages_q(pages):
    return Q(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id__in=_as_text(pages),
    )


def _in_provinces(codes):
    """A Q over TaskState: the document's network is in one of these provinces (a subquery per document
    type, no ids read into Python)."""
    query = Q(pk__in=[])
    for model in document_models():
        query |= _pages_q(model.objects.filter(network__province_code__in=codes))
    return query


class AwaitingMyActionFilterSet(WagtailFilterSet):
    province = django_filters.ChoiceFilter(label=_("Province"), method="filter_province", choices=(), empty_label=_("All"))
    step = django_filters.ChoiceFilter(label=_("Step"), method="filter_step", choices=(), empty_label=_("All"))
    document_type = django_filters.ChoiceFilter(
        label=_("Document type"), method="filter_document_type",
        choices=workflow_choices(),
        empty_label=_("All"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=BooleanRadioSelect)

    class Meta:
        model = TaskState
        fields = []

    def __init__(self, *args, tasks=None, province_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only what this user can meet in the queue is offered; anything else is an invalid choice.
        self.filters["province"].extra["choices"] = sorted(
            ((code, province_name(code, english=False)) for code in province_codes), key=lambda choice: choice[1]
        )
        self.filters["step"].extra["choices"] = [(str(pk), step_label(task)) for pk, task in (tasks or {}).items()]

    def filter_province(self, queryset, name, value):
        return queryset.filter(_in_provinces([value])) if value else queryset

    def filter_step(self, queryset, name, value):
        return queryset.filter(task_id=int(value)) if value else queryset

    def filter_document_type(self, queryset, name, value):
        if not value:
            return queryset
        # The choices are the workflow bindings' keys (pages.doctypes.workflow_choices).
        model = next(type_.model for type_ in document_types() if type_.workflow_key == value)
        content_type = ContentType.objects.get_for_model(model)
        return queryset.filter(workflow_state__content_type=content_type)

    def filter_overdue(self, queryset, name, value):
        return queryset if value is None else queryset.filter(is_overdue=value)


class OptionalColumn(Column):
    empty_value_display = "—"


class WaitingSinceColumn(Column):
    cell_template_name = "workflows/queue/waiting_cell.html"


class LinksColumn(Column):
    cell_template_name = "workflows/queue/links_cell.html"


def _user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class AwaitingMyActionView(BaseListingView):
    page_title = _("Awaiting my action")
    header_icon = "tasks"
    template_name = "workflows/queue/index.html"
    results_template_name = "workflows/queue/index_results.html"
    index_url_name = "workflows_awaiting_my_action"
    index_results_url_name = "workflows_awaiting_my_action_results"
    filterset_class = AwaitingMyActionFilterSet
    is_searchable = True
    paginate_by = 50
    columns = [
        TitleColumn("title", label=_("Document"), get_url=lambda item: item["edit_url"]),
        Column("document_type", label=_("Document type")),
        OptionalColumn("network_title", label=_("Network")),
        OptionalColumn("province_name", label=_("Province")),
        Column("task_name", label=_("Step")),
        OptionalColumn("requested_by", label=_("Submitted by"), accessor=lambda item: _user_name(item["requested_by"])),
        WaitingSinceColumn("started_at", label=_("Waiting since")),
        LinksColumn("links", label=_("Actions"), accessor=lambda item: item["edit_url"]),
    ]

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def tasks(self):
        return active_tasks()

    @cached_property
    def awaiting(self):
        # Built once per request: the filters, the province choices and the listing all start from it,
        # and building it (nested subqueries) costs more than running it.
        return awaiting_my_action(self.request.user, self.tasks.values(), self.now)

    def get_base_queryset(self):
        return self.awaiting.all()

    @cached_property
    def province_codes(self):
        """The provinces this user can meet in the queue: an officer's own, and those of the documents
        waiting for them (a chair's network, the registrar's whole country)."""
        codes = set(officer_province_codes(self.request.user))
        networks_in_queue = Q(pk__in=[])
        queue = self.get_base_queryset().order_by().values("workflow_state__object_id")
        for model in document_models():
            networks_in_queue |= Q(
                pk__in=model.objects.annotate(pk_text=Cast("pk", CharField()))
                .filter(pk_text__in=queue)
                .values("network_id")
            )
        codes.update(
            NetworkPage.objects.filter(networks_in_queue)
            .exclude(province_code="")
            .order_by()
            .values_list("province_code", flat=True)
            .distinct()
        )
        return codes

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        # Only the steps where something waits for this user are offered.
        waiting_at = set(self.get_base_queryset().order_by().values_list("task_id", flat=True).distinct())
        steps = {pk: task for pk, task in self.tasks.items() if pk in waiting_at}
        kwargs.update(tasks=steps, province_codes=self.province_codes)
        return kwargs

    @cached_property
    def filters(self):
        """The filter set; values that are not offered to this user are dropped (and reported in
        `filter_errors`), the other filters still apply."""
        self.filter_errors = []
        kwargs = self.get_filterset_kwargs()
        filterset = self.filterset_class(**kwargs)
        if filterset.is_valid():
            return filterset
        data = kwargs["data"].copy()
        for name, errors in filterset.form.errors.items():
            field = filterset.form.fields.get(name)
            self.filter_errors.append(
                _("The filter “%(filter)s” was ignored: %(error)s")
                % {"filter": field.label if field else name, "error": " ".join(errors)}
            )
            data.pop(name, None)
        kwargs["data"] = data
        return self.filterset_class(**kwargs)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = Q(pk__in=[])
        for model in document_models():
            query |= _pages_q(model.objects.filter(title__icontains=self.search_query))
        return queryset.filter(query)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        items = describe(list(object_list), self.tasks, self.now)
        page.object_list = items
        return paginator, page, items, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_errors"] = getattr(self, "filter_errors", [])
        return context
