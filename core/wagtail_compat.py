"""The one place that relies on non-public behaviour of Wagtail, Django, django-modelcluster and
django-modelsearch.

Every function here names the internal it relies on and the version it was checked against; each has a
test in tests/core/test_wagtail_compat.py that fails when an upgrade changes that behaviour, so that an
upgrade breaks here, loudly, and not somewhere in the domain code. Checked against Wagtail 8.0.1,
Django 5.2, django-modelcluster 6.x and django-modelsearch 1.3.2.

What stays outside, by design (tested here all the same):

- thaisearch/backend.py subclasses django-modelsearch's database backends, both the public backend
  classes and the pieces around them that upstream does not document: from
  `modelsearch.backends.database.postgres.postgres` ObjectIndexer (`__init__(obj, backend)`,
  `prepare_field`, `as_vector(texts, for_autocomplete)`, `search_fields`, `id`, `title_text`,
  `body_text`), PostgresIndex (`_refresh_title_norms(full)`, `write_connection`, `delete_item`,
  `reset`), IndexEntry, the query compilers, the rebuilders (`finish`); from
  `modelsearch.backends.database.sqlite.sqlite` the same classes plus SQLiteFTSIndexEntry, BM25,
  MatchExpression, normalize, get_descendants_content_types_pks, SQLiteSearchResults (`_do_search`,
  `_do_count`, `_score_field`, `start`, `stop`) and the compilers' `FTS_TABLE_FIELDS`, `fields`,
  `build_search_query`, `build_tsrank`, `get_config`, `order_by_relevance`; and the backends'
  `_search(query_compiler_class, query, model_or_queryset, **kwargs)`, which hands its keyword
  arguments on to the query compiler. The sqlite module reads SQLite-only models when imported, so it
  cannot be imported here. The smaller helpers it uses are re-exported below.
- pages/clusters.py is about django-modelcluster's internals (its module docstring says which); the
  ones it touches directly are here.
"""

import json

from django.core.exceptions import ValidationError
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.subqueries import InsertQuery
from django.forms.models import ModelChoiceField
from django.urls import Resolver404, resolve
from django.utils.html import conditional_escape
from django.utils.text import capfirst, format_lazy
from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists
from modelsearch.utils import get_content_type_pk
from wagtail.admin.widgets.chooser import AdminPageChooser, BaseChooser
from wagtail.models import Page, TaskState
from wagtail.models.i18n import set_locale_on_new_instance
from wagtail.tasks import update_reference_index_task

__all__ = [
    "CANCEL_WORKFLOW",
    "edited_page_id",
    "enqueue_reference_index_update",
    "cached_relation",
    "child_page_path",
    "get_content_type_pk",
    "page_path_step",
    "set_document_file_metadata",
    "is_cancel_workflow_menu_item",
    "is_cancel_workflow_post",
    "is_workflow_action_post",
    "live_receivers",
    "locale_pre_save_receiver",
    "mark_task_state_skipped",
    "pending_child_relations",
    "posted_workflow_action",
    "prefetched_workflow_states",
    "read_workflow_states_once",
    "reference_index_save_receiver",
    "register_page_permission_policy",
    "sql_insert_compiler",
    "sqlite_fts_ready",
    "tolerate_malformed_chooser_values",
    "tolerate_overflowing_choice_ids",
    "workflow_action_target",
]


# --- Page listings ------------------------------------------------------------------------------


def prefetched_workflow_states(page):
    """The page's active workflow states as prefetched by a listing, or None when they were not prefetched.

    Relies on `PageQuerySet.prefetch_workflow_states()` (wagtail/query.py) storing its result in the
    private attribute `page._current_workflow_states` (a list, each with its current task selected).
    Wagtail 8.0.1.
    """
    if getattr(page, "_workflow_states_read_once", False):
        return None  # read by `read_workflow_states_once`, not by a listing: the editor reads the whole story
    return getattr(page, "_current_workflow_states", None)


def read_workflow_states_once(page):
    """Read the page's active workflow states now, and let every later question of this request about them
    (`current_workflow_state`, `current_workflow_task`, `workflow_in_progress`, the lock, the action menu,
    the side panels) answer from them: the editor asked the database some 25 times in one GET. Only for a
    request that changes no workflow (a GET): the answers would not see a change made after this.

    Relies on `WorkflowMixin.current_workflow_state` and `workflow_in_progress` (wagtail/models/workflows.py)
    answering from the private attribute `_current_workflow_states` when it is set, as
    `PageQuerySet.prefetch_workflow_states()` sets it. Wagtail 8.0.1.
    """
    page._current_workflow_states = list(page.workflow_states.active().select_related("current_task_state__task"))
    page._workflow_states_read_once = True
    return page


# --- Admin URLs ---------------------------------------------------------------------------------

# Wagtail's page views that decide on a step (the button's view and the dialog that collects the
# decision's data), and the page editor, whose POST may carry a workflow action.
WORKFLOW_ACTION_VIEWS = frozenset(
    {"wagtailadmin_pages:workflow_action", "wagtailadmin_pages:collect_workflow_action_data"}
)
PAGE_EDIT_VIEW = "wagtailadmin_pages:edit"


def _resolver_match(request):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def workflow_action_target(request):
    """(page id, task state id) when `request` is for one of Wagtail's workflow action views, else None.

    Relies on the URL names `wagtailadmin_pages:workflow_action` and
    `wagtailadmin_pages:collect_workflow_action_data` and their kwargs `page_id` and `task_state_id`
    (wagtail/admin/urls/pages.py). Wagtail 8.0.1.
    """
    match = _resolver_match(request)
    if match is None or match.view_name not in WORKFLOW_ACTION_VIEWS:
        return None
    return int(match.kwargs["page_id"]), int(match.kwargs["task_state_id"])


def edited_page_id(request):
    """The id of the page when `request` is for Wagtail's page editor, else None.

    Relies on the URL name `wagtailadmin_pages:edit` and its kwarg `page_id`
    (wagtail/admin/urls/pages.py). Wagtail 8.0.1.
    """
    match = _resolver_match(request)
    if match is None or match.view_name != PAGE_EDIT_VIEW:
        return None
    return int(match.kwargs["page_id"])


# --- The page editor's POST ---------------------------------------------------------------------

# The editor's "Cancel workflow" button: its POST field and its action menu item's name
# (wagtail.admin.action_menu.CancelWorkflowMenuItem.name; EditView.is_cancelling_workflow).
CANCEL_WORKFLOW = "action-cancel-workflow"
# Set by Wagtail's workflow-action.js when a step's button is pressed in the editor; read by
# EditView.action_name_and_method, workflow_action_is_valid and perform_workflow_action.
WORKFLOW_ACTION = "action-workflow-action"
WORKFLOW_ACTION_NAME = "workflow-action-name"
WORKFLOW_ACTION_EXTRA_DATA = "workflow-action-extra-data"


def is_cancel_workflow_post(request):
    """Whether the editor's POST is its "Cancel workflow" button.

    Relies on the POST field `action-cancel-workflow` (wagtail/admin/views/pages/edit.py). Wagtail 8.0.1.
    """
    return bool(request.POST.get(CANCEL_WORKFLOW))


def is_workflow_action_post(request):
    """Whether the editor's POST is a step's action button (approve, request changes, ...).

    Relies on the POST field `action-workflow-action`, set by workflow-action.js and read by
    wagtail/admin/views/pages/edit.py. Wagtail 8.0.1.
    """
    return bool(request.POST.get(WORKFLOW_ACTION))


def posted_workflow_action(request):
    """(action name, extra data dict) of a step's action posted from the editor, or None.

    The extra data is what the action's dialog collected; anything but a JSON object counts as none.
    Relies on the POST fields `action-workflow-action`, `workflow-action-name` and
    `workflow-action-extra-data` (workflow-action.js; wagtail/admin/views/pages/edit.py). Wagtail 8.0.1.
    """
    if not is_workflow_action_post(request):
        return None
    try:
        extra = json.loads(request.POST.get(WORKFLOW_ACTION_EXTRA_DATA) or "{}")
    except ValueError:
        extra = {}
    if not isinstance(extra, dict):
        extra = {}
    return request.POST.get(WORKFLOW_ACTION_NAME, ""), extra


# wagtail.admin.action_menu.RestartWorkflowMenuItem.name; EditView posts it to restart a workflow.
RESTART_WORKFLOW = "action-restart-workflow"


def is_restart_workflow_menu_item(item):
    """Whether an item of the page action menu is Wagtail's "Restart workflow" (by its `name`, the
    button's POST key that EditView reads). Wagtail 8.0.1."""
    return item.name == RESTART_WORKFLOW


def is_cancel_workflow_menu_item(item):
    """Whether an item of the page action menu (construct_page_action_menu) is "Cancel workflow".

    Relies on `CancelWorkflowMenuItem.name` (wagtail/admin/action_menu.py). Wagtail 8.0.1.
    """
    return item.name == CANCEL_WORKFLOW


# --- Workflow states ----------------------------------------------------------------------------


def mark_task_state_skipped(task_state, reason, at):
    """Close a step as skipped (not approved, not rejected) at `at`, with `reason` as its comment.

    Wagtail has no public way to skip a step: TaskState.STATUS_SKIPPED exists, and
    `WorkflowState.update()` moves on by itself from a step that is no longer in progress (it counts
    skipped steps as done in `successful_task_states`), whether the step was skipped as it started
    (`Task.start` returning it closed) or afterwards (the caller then calls update()). Wagtail 8.0.1.
    """
    task_state.status = TaskState.STATUS_SKIPPED
    task_state.finished_at = at
    task_state.comment = reason
    task_state.save(update_fields=["status", "finished_at", "comment"])


# --- Page permissions ---------------------------------------------------------------------------


def register_page_permission_policy(policy):
    """Make `policy` Wagtail's permission policy for every page model, replacing its own.

    `policy` is also called with a page (`policy(page)`) whenever Wagtail looks up the policy of one
    page (the permission tester, the page actions): it returns the policy as seen from that page.
    Relies on `wagtail.permissions.policy_registry.register(AbstractPage, ...)` overriding Wagtail's
    registration, `get_by_type(Page)` finding it through the class's MRO, and `ObjectTypeRegistry.get`
    calling a registered value that is callable and not a class with the object
    (wagtail/utils/registry.py). Wagtail 8.0.1.
    """
    # app loading: wagtail.permissions imports the models.
    from wagtail.models import AbstractPage
    from wagtail.permissions import policy_registry

    policy_registry.register(AbstractPage, value=policy)


# --- Signals and the reference index ------------------------------------------------------------


def live_receivers(signal, sender):
    """Every receiver (sync and async) that `signal` would call for `sender`, as a list.

    Relies on Django's private `Signal._live_receivers(sender)`, which returns (sync receivers,
    async receivers) since Django 5.0. Django 5.2.
    """
    sync, async_ = signal._live_receivers(sender)
    return [*sync, *async_]


def reference_index_save_receiver():
    """Wagtail's post_save receiver that queues a re-index of the saved object's references (for a
    child row, of its parent page).

    Relies on `wagtail.signal_handlers.update_reference_index_on_save`, connected per tracked model.
    Wagtail 8.0.1.
    """
    # app loading: wagtail.signal_handlers loads the Page model when imported, and this module is
    # imported while the apps' models load (pages.clusters).
    from wagtail.signal_handlers import update_reference_index_on_save

    return update_reference_index_on_save


def locale_pre_save_receiver():
    """Wagtail's pre_save receiver, connected for every model, that sets the locale of new
    translatable objects and does nothing for other models.

    Relies on `wagtail.models.i18n.set_locale_on_new_instance`. Wagtail 8.0.1.
    """
    return set_locale_on_new_instance


def enqueue_reference_index_update(instance):
    """Queue what `reference_index_save_receiver()` queues for `instance`.

    Relies on the task `wagtail.tasks.update_reference_index_task(app_label, model_name, pk)`.
    Wagtail 8.0.1.
    """
    update_reference_index_task.enqueue(instance._meta.app_label, instance._meta.model_name, str(instance.pk))


def pending_child_relations(instance):
    """{accessor name: list of child objects} of the child relations set on `instance` and not yet
    committed, or None when none was set. Removing an entry makes the next save() leave that relation's
    rows alone.

    Relies on django-modelcluster's private `instance._cluster_related_objects`, which
    `ClusterableModel.save()` commits (DeferringRelatedManager.commit) entry by entry. modelcluster 6.x.
    """
    return getattr(instance, "_cluster_related_objects", None)


# --- django-modelsearch and SQL -----------------------------------------------------------------

# get_content_type_pk(model): the content type id modelsearch files a model's index entries under
# (modelsearch.utils, not public). django-modelsearch 1.3.2.


def sqlite_fts_ready():
    """Whether SQLite has FTS5 and modelsearch's FTS table exists (one query).

    Relies on `modelsearch.backends.database.sqlite.utils.fts5_available()` and `fts_table_exists()`,
    the checks modelsearch's own database backend makes. django-modelsearch 1.3.2.
    """
    return fts5_available() and fts_table_exists()


def sql_insert_compiler(model, connection):
    """Django's SQL compiler for an INSERT into `model`'s table, to turn field values (expressions
    included) into SQL with `compiler.prepare_value(field, value).as_sql(compiler, connection)`.

    Relies on Django's private `django.db.models.sql.subqueries.InsertQuery` and
    `SQLInsertCompiler.prepare_value`. Django 5.2.
    """
    return InsertQuery(model).get_compiler(connection=connection)


# --- The page tree (django-treebeard) -----------------------------------------------------------
# The bulk loaders (networks/tree.py, demo/scale_corpus.py) write page rows without treebeard's
# one-by-one add_child, so they compute the materialised paths themselves.


def page_path_step(path):
    """The number of a page's last step in the tree ("0001000200A3" -> 363).

    Relies on treebeard's private `MP_Node._str2int` and the public `steplen`. django-treebeard 4.7.
    """
    return Page._str2int(path[-Page.steplen:])


def child_page_path(parent_path, depth, step):
    """The materialised path of the child number `step` of the page at `parent_path`, at `depth`.

    Relies on treebeard's private `MP_Node._get_path(path, depth, newstep)`. django-treebeard 4.7.
    """
    return Page._get_path(parent_path, depth, step)


# --- Wagtail documents and Django model instances -----------------------------------------------


def set_document_file_metadata(document):
    """Fill a new Wagtail document's file size and hash from its file, as Wagtail's upload view does.

    Relies on Wagtail's private `AbstractDocument._set_document_file_metadata()`. Wagtail 8.0.1.
    """
    document._set_document_file_metadata()


def cached_relation(instance, name):
    """The related object `instance.<name>` if Django already holds it, else None (no query).

    Relies on Django's private `instance._state.fields_cache`. Django 5.2.
    """
    return instance._state.fields_cache.get(name)


# --- Chooser widgets ----------------------------------------------------------------------------


def tolerate_malformed_chooser_values():
    """A form shown again with its errors: Wagtail's chooser widgets look the posted id up to show the
    chosen item (`BaseChooser.get_instance`, which catches only DoesNotExist), so an id that is not a
    number raised ValueError and the user got a 500 instead of the field's own "Select a valid choice".
    Such a value is shown as nothing chosen. Idempotent; called from CoreConfig.ready(). Wagtail 8.0.1.
    """
    original = BaseChooser.get_instance
    if getattr(original, "tolerates_malformed_values", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError):
            return None

    get_instance.tolerates_malformed_values = True
    BaseChooser.get_instance = get_instance


def tolerate_overflowing_choice_ids():
    """A chosen id too large for the database (99999999999999999999): Django's `ModelChoiceField.to_python`
    looks it up and catches ValueError and TypeError but not the OverflowError SQLite's driver raises, so
    the user got a 500. It is the field's own "Select a valid choice" instead. Idempotent; called from
    CoreConfig.ready(). Django 5.2."""
    original = ModelChoiceField.to_python
    if getattr(original, "tolerates_overflow", False):
        return

    def to_python(self, value):
        try:
            return original(self, value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    to_python.tolerates_overflow = True
    ModelChoiceField.to_python = to_python


class NameInUserLanguage(str):
    """A name stored in the site's language (Thai) that is shown in the active language: equal to the
    stored text (comparisons, the database, JSON) but printed (str, %-formatting, templates) as `label`."""

    def __new__(cls, stored, label):
        name = super().__new__(cls, stored)
        name.label = label
        return name

    def __str__(self):
        return str(self.label)

    def __format__(self, spec):
        return format(str(self.label), spec)

    def __html__(self):
        return conditional_escape(str(self.label))


class _NameInUserLanguageAttribute(DeferredAttribute):
    def __init__(self, field, label_for):
        super().__init__(field)
        self.label_for = label_for

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None or not isinstance(value, str) or isinstance(value, NameInUserLanguage):
            return value
        label = self.label_for(value)
        return value if label is None else NameInUserLanguage(value, label)

    def __set__(self, instance, value):
        # A data descriptor, so that reads come here and not straight from the instance's __dict__,
        # where Django keeps the value (DeferredAttribute reads it there).
        instance.__dict__[self.field.attname] = value


def show_names_in_user_language(model, field_name, label_for):
    """Wagtail prints a workflow's and a task's `name` as stored (`{{ task.name }}` in its templates, in
    its log entries' data): `label_for(stored)` gives the label to print instead in the active language
    (None keeps the stored text). Replaces the field's DeferredAttribute (Django 5.2) on `model`, for
    reading only: saving, comparing and serializing see the stored text. Idempotent."""
    field = model._meta.get_field(field_name)
    current = model.__dict__.get(field.attname)
    if isinstance(current, _NameInUserLanguageAttribute):
        current.label_for = label_for
        return
    setattr(model, field.attname, _NameInUserLanguageAttribute(field, label_for))


class _LogEntryWithData:
    def __init__(self, log_entry, data):
        self._log_entry, self.data = log_entry, data

    def __getattr__(self, name):
        return getattr(self._log_entry, name)


def show_log_messages_with(actions, action_names, translate_data):
    """Wagtail's log messages of `action_names` (its LogFormatter.format_message, Wagtail 8.0.1, reading
    `log_entry.data`) are given `translate_data(data)` instead of the stored data: the names a log entry
    stored in the site's language are said in the reader's. `actions` is the registry a
    `register_log_actions` hook receives (its `formatters` dict); call it from a hook ordered after
    Wagtail's own."""
    for action in action_names:
        formatter = actions.formatters.get(action)
        if formatter is None or getattr(formatter, "translates_data", False):
            continue
        original = formatter.format_message

        def format_message(log_entry, original=original):
            return original(_LogEntryWithData(log_entry, translate_data(log_entry.data)))

        formatter.format_message = format_message
        formatter.translates_data = True


def page_chooser_text_in_user_language():
    """Wagtail's AdminPageChooser (8.0.1) appends the page type to "Choose a page" as a plain string when
    the widget is made: a form class made on a Thai request kept «เลือกหน้า (เครือข่าย)» for English
    readers. The text stays lazy instead, said in each reader's language. Idempotent; called from
    CoreConfig.ready()."""
    original = AdminPageChooser.__init__
    if getattr(original, "keeps_text_lazy", False):
        return

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if "choose_one_text" not in kwargs and len(self.target_models) == 1 and self.target_models[0] is not Page:
            self.choose_one_text = format_lazy(
                "{} ({})", AdminPageChooser.choose_one_text, capfirst(self.target_models[0]._meta.verbose_name)
            )

    __init__.keeps_text_lazy = True
    AdminPageChooser.__init__ = __init__


# --- Dates in the Buddhist Era: Wagtail's schedule dialog, report filters and exports ----------
# Their guard tests are in tests/core/test_wagtail_dates_buddhist.py (the section "Guards").


def schedule_publishing_with(widget_factory):
    """The go-live and expiry inputs of Wagtail's publishing schedule dialog are `widget_factory(attrs)`
    instead of Wagtail's AdminDateTimeInput (a picker that shows Christian-era years).

    Relies on `PublishingPanel.__init__` (wagtail/admin/panels/publishing_panel.py) building its two
    children as `FieldPanel("go_live_at"|"expire_at", widget=AdminDateTimeInput(attrs=...))`, and on
    `FieldPanel.widget` being what the form uses; the attrs (the dialog's reset on close, its "notify"
    target) are kept. Idempotent; called from CoreConfig.ready(). Wagtail 8.0.1.
    """
    from wagtail.admin.panels import FieldPanel, PublishingPanel

    original = PublishingPanel.__init__
    if getattr(original, "schedule_widget_factory", None) is not None:
        original.schedule_widget_factory = widget_factory
        return

    def __init__(self, **kwargs):
        original(self, **kwargs)
        for child in self.children:
            if isinstance(child, FieldPanel) and child.field_name in ("go_live_at", "expire_at"):
                attrs = {**getattr(child.widget, "attrs", {})}
                child.widget = __init__.schedule_widget_factory(attrs)

    __init__.schedule_widget_factory = widget_factory
    PublishingPanel.__init__ = __init__


def date_range_filters_with(field_factory, widget_factory, format_date):
    """Wagtail's date range filters of its reports and histories ("Locked at", "Date", "Started at")
    read dates with `field_factory()` (two of them, from and to), show them with `widget_factory(attrs)`
    and name them in the active-filter chips with `format_date(value)`.

    Relies on django-filter's `DateFromToRangeFilter.field_class` (a `DateRangeField`, whose
    `RangeField.__init__(fields, ...)` takes the two date fields and whose `compress` turns them into the
    day's first and last moment) (django-filter 26.2); on Wagtail's `DateRangePickerWidget`, a
    SuffixedMultiWidget of two `AdminDateInput` in `self.widgets` (wagtail/admin/filters.py); and on the
    public `register_filter_adapter_class` with a subclass of `DateFromToRangeFilterAdapter` whose
    `format_value(value)` words one end (wagtail/admin/active_filters.py). Idempotent. Wagtail 8.0.1.
    """
    import django_filters
    from django_filters.fields import DateRangeField, RangeField
    from wagtail.admin.active_filters import DateFromToRangeFilterAdapter, register_filter_adapter_class
    from wagtail.admin.filters import DateRangePickerWidget

    class BuddhistDateRangeField(DateRangeField):
        def __init__(self, *args, **kwargs):
            RangeField.__init__(self, (field_factory(), field_factory()), *args, **kwargs)

    django_filters.DateFromToRangeFilter.field_class = BuddhistDateRangeField

    original = DateRangePickerWidget.__init__
    if not getattr(original, "buddhist_era", False):

        def __init__(self, attrs=None):
            original(self, attrs)
            self.widgets = [widget_factory({**widget.attrs}) for widget in self.widgets]

        __init__.buddhist_era = True
        DateRangePickerWidget.__init__ = __init__

    class BuddhistDateFromToRangeFilterAdapter(DateFromToRangeFilterAdapter):
        def format_value(self, value):
            return format_date(value) if value is not None else self.empty_value_label

    register_filter_adapter_class(django_filters.DateFromToRangeFilter, BuddhistDateFromToRangeFilterAdapter)


def spreadsheet_exports_with(csv_text, xlsx_value, xlsx_number_format):
    """The dates of Wagtail's CSV and XLSX exports (reports, history, ModelViewSet listings).

    - CSV: a date or datetime value is written as `csv_text(value)`. Wagtail streams the CSV after its
      view has returned, outside the user's language and time zone (wagtail.admin.localization), so the
      rows (and their headings) are made in the language and time zone of the request.
    - XLSX: a date cell holds `xlsx_value(value)` (a naive datetime) with the number format
      `xlsx_number_format(value)`, or Wagtail's own when it returns None.

    Relies on `SpreadsheetExportMixin` (wagtail/admin/views/mixins.py): `stream_csv(queryset)` being called
    in the view and iterated later, `get_preprocess_function(field, value, export_format)` choosing the
    function for a value (a field's own in `custom_field_preprocess` first), and
    `generate_xlsx_row(worksheet, row_dict, date_format)` yielding openpyxl cells, one per field in
    `row_dict`'s order. Idempotent; called from CoreConfig.ready(). Wagtail 8.0.1.
    """
    import datetime

    from django.utils import timezone, translation
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    mixin = SpreadsheetExportMixin
    if getattr(mixin.stream_csv, "keeps_request_language", False):
        mixin.get_preprocess_function.dates = (csv_text, xlsx_value, xlsx_number_format)
        return

    original_stream_csv = mixin.stream_csv
    original_preprocess = mixin.get_preprocess_function
    original_xlsx_row = mixin.generate_xlsx_row

    def stream_csv(self, queryset):
        language, zone = translation.get_language(), timezone.get_current_timezone()
        rows = original_stream_csv(self, queryset)

        def in_request_language():
            # Only while a row is made: between rows the server's thread is left as it was.
            while True:
                with translation.override(language), timezone.override(zone):
                    try:
                        row = next(rows)
                    except StopIteration:
                        return
                yield row

        return in_request_language()

    def get_preprocess_function(self, field, value, export_format):
        own = self.custom_field_preprocess.get(field, {})
        if export_format not in own and isinstance(value, datetime.date):
            csv_text_, xlsx_value_, _number_format = get_preprocess_function.dates
            return csv_text_ if export_format == self.FORMAT_CSV else xlsx_value_
        return original_preprocess(self, field, value, export_format)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        number_format_for = get_preprocess_function.dates[2]
        cells = original_xlsx_row(self, worksheet, row_dict, date_format)
        for value, cell in zip(row_dict.values(), cells, strict=True):
            if isinstance(value, datetime.date) and cell.is_date:
                number_format = number_format_for(value)
                if number_format:
                    cell.number_format = number_format
            yield cell

    stream_csv.keeps_request_language = True
    get_preprocess_function.dates = (csv_text, xlsx_value, xlsx_number_format)
    mixin.stream_csv = stream_csv
    mixin.get_preprocess_function = get_preprocess_function
    mixin.generate_xlsx_row = generate_xlsx_row


# Wagtail's modules that word a moment with `render_timestamp` (imported by name): the page's lock and
# scheduled-publishing notices, the "replaced with version from ..." message, the revision and log messages.
RENDER_TIMESTAMP_MODULES = (
    "wagtail.utils.timestamps",
    "wagtail.locks",
    "wagtail.wagtail_hooks",
    "wagtail.admin.views.generic.mixins",
    "wagtail.admin.views.pages.edit",
    "wagtail.admin.views.pages.revisions",
)


def render_timestamps_with(render):
    """Wagtail's messages and notices word a moment with `render(timestamp)` instead of Django's
    DATETIME_FORMAT (Christian Era).

    Relies on `wagtail.utils.timestamps.render_timestamp(timestamp)` being imported by name into the
    modules of RENDER_TIMESTAMP_MODULES and called from there at display time. Idempotent; called from
    CoreConfig.ready(). Wagtail 8.0.1.
    """
    import importlib

    for name in RENDER_TIMESTAMP_MODULES:
        module = importlib.import_module(name)
        if not callable(getattr(module, "render_timestamp", None)):
            raise ImportError(f"{name} no longer has render_timestamp: see core/wagtail_compat.py")
        module.render_timestamp = render
