"""core/wagtail_compat.py: each test fails when Wagtail, Django, django-modelcluster or
django-modelsearch changes the non-public behaviour the project relies on."""

import datetime
import inspect
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Value
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.backends.database.postgres import postgres as pg
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import (
    GroupApprovalTask,
    Page,
    PageLogEntry,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.tasks import update_reference_index_task

from core import wagtail_compat as compat
from tests.people.formdata import scrape_form

# --- Fixtures: a plain Wagtail page in a two-step Wagtail workflow (no project task involved) -----


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("compat-root", "compat@example.org", "pw-compat")


@pytest.fixture
def reviewed(home, superuser):
    """A page submitted to a workflow of two group approval steps."""
    page = home.add_child(instance=Page(title="Compat page", slug="compat-page"))
    page.save_revision(user=superuser)
    group = Group.objects.create(name="Compat reviewers")
    workflow = Workflow.objects.create(name="Compat workflow")
    tasks = []
    for order, name in enumerate(["Compat first step", "Compat second step"]):
        task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        tasks.append(task)
    WorkflowPage.objects.create(workflow=workflow, page=page)
    workflow.start(page, superuser)
    return {"page": page, "workflow": workflow, "tasks": tasks, "user": superuser}


def _state(page):
    return WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)


# --- prefetched_workflow_states -------------------------------------------------------------------


@pytest.mark.django_db
def test_prefetched_workflow_states_are_wagtails_listing_prefetch(reviewed, home):
    page = reviewed["page"]
    listed = {p.pk: p for p in Page.objects.filter(pk__in=[page.pk, home.pk]).prefetch_workflow_states()}
    states = compat.prefetched_workflow_states(listed[page.pk])
    assert [state.pk for state in states] == [_state(page).pk]
    assert compat.prefetched_workflow_states(listed[home.pk]) == []
    # What Wagtail's own properties read from the prefetch (no query).
    assert listed[page.pk].current_workflow_state == states[0]
    assert compat.prefetched_workflow_states(Page.objects.get(pk=page.pk)) is None


@pytest.mark.django_db
def test_workflow_states_read_once_answer_wagtails_questions_without_a_query(reviewed, django_assert_num_queries):
    page = Page.objects.get(pk=reviewed["page"].pk).specific
    state = _state(page)
    compat.read_workflow_states_once(page)
    with django_assert_num_queries(0):
        assert page.current_workflow_state.pk == state.pk
        assert page.workflow_in_progress
        assert page.current_workflow_task_state.pk == state.current_task_state_id
    # Without it, each question is a query of its own (what the editor's GET paid some 25 times).
    fresh = Page.objects.get(pk=page.pk).specific
    with django_assert_num_queries(1):
        assert fresh.current_workflow_state.pk == state.pk
    # It is not a listing's prefetch: what a listing shortens, the editor still reads in full.
    assert compat.prefetched_workflow_states(page) is None


# --- URL names ------------------------------------------------------------------------------------


def _request(path, resolved):
    request = RequestFactory().post(path)
    if resolved:
        request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize("resolved", [True, False])
@pytest.mark.parametrize("view", ["workflow_action", "collect_workflow_action_data"])
def test_workflow_action_views_are_recognised_by_name(view, resolved):
    path = reverse(
        f"wagtailadmin_pages:{view}", kwargs={"page_id": 12, "action_name": "approve", "task_state_id": 34}
    )
    assert compat.workflow_action_target(_request(path, resolved)) == (12, 34)
    assert compat.edited_page_id(_request(path, resolved)) is None


@pytest.mark.parametrize("resolved", [True, False])
def test_page_editor_is_recognised_by_name(resolved):
    path = reverse("wagtailadmin_pages:edit", kwargs={"page_id": 12})
    assert compat.edited_page_id(_request(path, resolved)) == 12
    assert compat.workflow_action_target(_request(path, resolved)) is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/no-such-page/",
        reverse("wagtailadmin_pages:edit", kwargs={"page_id": 12}) + "preview/",
        reverse("wagtailadmin_pages:confirm_workflow_cancellation", kwargs={"page_id": 12}),
        reverse("wagtailadmin_home"),
    ],
)
def test_other_paths_are_neither(path):
    request = RequestFactory().post(path)
    assert compat.workflow_action_target(request) is None
    assert compat.edited_page_id(request) is None


# --- The page editor's POST -----------------------------------------------------------------------


def _edit_form(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_editor_offers_the_step_actions_and_cancel_workflow(reviewed, client):
    client.force_login(reviewed["user"])
    menu_names = []

    def capture(menu_items, request, context):
        menu_names.extend(item.name for item in menu_items)

    with hooks.register_temporarily("construct_page_action_menu", capture):
        html = _edit_form(client, reviewed["page"])
    assert any(compat.is_cancel_workflow_menu_item(type("Item", (), {"name": n})) for n in menu_names)
    assert f'name="{compat.CANCEL_WORKFLOW}"' in html
    assert 'data-workflow-action-name="approve"' in html
    assert "wagtailadmin/js/workflow-action.js" in html
    # The browser's script turns a step's button into these POST fields.
    with open(finders.find("wagtailadmin/js/workflow-action.js"), encoding="utf-8") as script:
        source = script.read()
    for field in (compat.WORKFLOW_ACTION, compat.WORKFLOW_ACTION_NAME, compat.WORKFLOW_ACTION_EXTRA_DATA):
        assert f'"{field}"' in source


@pytest.mark.django_db
def test_editor_takes_a_step_action_from_the_posted_fields(reviewed, client):
    page = reviewed["page"]
    client.force_login(reviewed["user"])
    data = scrape_form(_edit_form(client, page), "page-edit-form")
    data.update(
        {
            compat.WORKFLOW_ACTION: "true",
            compat.WORKFLOW_ACTION_NAME: "approve",
            compat.WORKFLOW_ACTION_EXTRA_DATA: json.dumps({"comment": "Seen by compat"}),
        }
    )
    request = RequestFactory().post("/", data)
    assert compat.posted_workflow_action(request) == ("approve", {"comment": "Seen by compat"})
    assert not compat.is_cancel_workflow_post(request)

    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    first = TaskState.objects.get(task=reviewed["tasks"][0])
    assert (first.status, first.comment) == (TaskState.STATUS_APPROVED, "Seen by compat")
    assert _state(page).current_task_state.task_id == reviewed["tasks"][1].pk


@pytest.mark.django_db
def test_editor_cancels_the_workflow_from_the_posted_field(reviewed, client):
    page = reviewed["page"]
    client.force_login(reviewed["user"])
    data = scrape_form(_edit_form(client, page), "page-edit-form")
    data[compat.CANCEL_WORKFLOW] = "true"
    request = RequestFactory().post("/", data)
    assert compat.is_cancel_workflow_post(request)
    assert compat.posted_workflow_action(request) is None

    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_CANCELLED


@pytest.mark.parametrize("extra", ["not json", "[1, 2]", ""])
def test_posted_extra_data_that_is_not_an_object_counts_as_none(extra):
    request = RequestFactory().post(
        "/",
        {
            compat.WORKFLOW_ACTION: "true",
            compat.WORKFLOW_ACTION_NAME: "approve",
            compat.WORKFLOW_ACTION_EXTRA_DATA: extra,
        },
    )
    assert compat.posted_workflow_action(request) == ("approve", {})


# --- mark_task_state_skipped ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_step_skipped_afterwards_moves_the_workflow_on_at_update(reviewed):
    first_state = _state(reviewed["page"]).current_task_state
    at = timezone.now() - datetime.timedelta(hours=1)
    compat.mark_task_state_skipped(first_state, "Does not apply", at)
    workflow_state = _state(reviewed["page"])
    workflow_state.update(user=None)
    first_state.refresh_from_db()
    assert (first_state.status, first_state.finished_at, first_state.comment) == (
        TaskState.STATUS_SKIPPED,
        at,
        "Does not apply",
    )
    assert first_state in workflow_state.successful_task_states
    assert _state(reviewed["page"]).current_task_state.task_id == reviewed["tasks"][1].pk


@pytest.mark.django_db
def test_a_step_skipped_as_it_starts_moves_the_workflow_on_by_itself(home, superuser, monkeypatch):
    start = GroupApprovalTask.start

    def start_skipping_the_first(self, workflow_state, user=None):
        task_state = start(self, workflow_state, user=user)
        if self.name == "Compat first step":
            compat.mark_task_state_skipped(task_state, "Does not apply", timezone.now())
        return task_state

    monkeypatch.setattr(GroupApprovalTask, "start", start_skipping_the_first)
    page = home.add_child(instance=Page(title="Compat page", slug="compat-page"))
    page.save_revision(user=superuser)
    workflow = Workflow.objects.create(name="Compat workflow")
    for order, name in enumerate(["Compat first step", "Compat second step"]):
        WorkflowTask.objects.create(
            workflow=workflow, task=GroupApprovalTask.objects.create(name=name), sort_order=order
        )
    workflow.start(page, superuser)
    assert _state(page).current_task_state.task.name == "Compat second step"


# --- Signals and the reference index --------------------------------------------------------------


class _Sender:
    pass


def test_live_receivers_lists_sync_and_async_receivers_of_the_sender():
    signal = Signal()

    def sync_receiver(sender, **kwargs):
        pass

    async def async_receiver(sender, **kwargs):
        pass

    def other_receiver(sender, **kwargs):
        pass

    signal.connect(sync_receiver, sender=_Sender)
    signal.connect(async_receiver, sender=_Sender)
    signal.connect(other_receiver, sender=object)
    assert sorted(r.__name__ for r in compat.live_receivers(signal, _Sender)) == [
        "async_receiver",
        "sync_receiver",
    ]
    assert compat.live_receivers(signal, int) == []


def test_wagtails_own_save_receivers_are_the_ones_named():
    assert compat.reference_index_save_receiver() in compat.live_receivers(post_save, Page)
    assert compat.locale_pre_save_receiver() in compat.live_receivers(pre_save, Page)
    assert compat.locale_pre_save_receiver() in compat.live_receivers(pre_save, Group)  # every model


@pytest.mark.django_db
def test_reference_index_update_is_queued_as_wagtails_receiver_queues_it(home, monkeypatch):
    queued = []

    class QueuedTask:
        @staticmethod
        def enqueue(*args):
            queued.append(args)

    # Both modules hold the task under this name (django_tasks' Task is frozen: it cannot be patched).
    monkeypatch.setattr("wagtail.signal_handlers.update_reference_index_task", QueuedTask)
    monkeypatch.setattr(compat, "update_reference_index_task", QueuedTask)
    compat.reference_index_save_receiver()(instance=home, sender=type(home), created=False)
    compat.enqueue_reference_index_update(home)
    assert len(queued) == 2 and queued[0] == queued[1]
    assert list(inspect.signature(update_reference_index_task.func).parameters) == [
        "app_label",
        "model_name",
        "pk",
    ]


def test_pending_child_relations_are_modelclusters_uncommitted_relations():
    page = Page(title="Unsaved")
    assert compat.pending_child_relations(page) is None
    page.wagtail_admin_comments = []
    assert compat.pending_child_relations(page) == {"wagtail_admin_comments": []}


# --- django-modelsearch and SQL -------------------------------------------------------------------


@pytest.mark.django_db
def test_content_type_pk_is_the_models_content_type(home):
    assert compat.get_content_type_pk(Page) == ContentType.objects.get_for_model(Page).pk


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_fts_is_ready_on_the_test_database():
    assert compat.sqlite_fts_ready() is True


@pytest.mark.django_db
def test_insert_compiler_turns_a_field_value_into_sql():
    compiler = compat.sql_insert_compiler(pg.IndexEntry, connection)
    value = compiler.prepare_value(pg.IndexEntry._meta.get_field("title"), Value("ชื่อ"))
    sql, params = value.as_sql(compiler, connection)
    assert "%s" in sql and params == ["ชื่อ"]


def _parameters(function):
    return list(inspect.signature(function).parameters)


def test_modelsearch_postgres_internals_thaisearch_subclasses():
    assert _parameters(BaseSearchBackend._search) == [
        "self",
        "query_compiler_class",
        "query",
        "model_or_queryset",
        "kwargs",
    ]
    assert _parameters(pg.ObjectIndexer.__init__) == ["self", "obj", "backend"]
    assert _parameters(pg.ObjectIndexer.as_vector) == ["self", "texts", "for_autocomplete"]
    assert _parameters(pg.ObjectIndexer.prepare_field) == ["self", "obj", "field"]
    assert _parameters(pg.PostgresIndex._refresh_title_norms) == ["self", "full"]
    assert _parameters(pg.PostgresSearchQueryCompiler.build_tsrank) == [
        "self",
        "vector",
        "query",
        "config",
        "boost",
    ]
    for name in (
        "PostgresSearchAtomicRebuilder",
        "PostgresSearchRebuilder",
        "PostgresAutocompleteQueryCompiler",
    ):
        assert hasattr(pg, name)
    columns = ["content_type", "object_id", "title", "autocomplete", "body", "title_norm"]
    if connection.vendor == "postgresql":
        columns += ["title_text", "body_text"]  # the plain-text mirrors exist on PostgreSQL only
    for name in columns:
        pg.IndexEntry._meta.get_field(name)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the module reads SQLite-only models")
def test_modelsearch_sqlite_internals_thaisearch_subclasses():
    from modelsearch.backends.database.sqlite import sqlite as lite

    for name in (
        "ObjectIndexer",
        "SQLiteIndex",
        "IndexEntry",
        "SQLiteFTSIndexEntry",
        "BM25",
        "MatchExpression",
        "normalize",
        "get_descendants_content_types_pks",
        "Phrase",
        "PlainText",
        "SQLiteSearchResults",
        "SQLiteSearchBackend",
        "SQLiteAutocompleteQueryCompiler",
    ):
        assert hasattr(lite, name), name
    assert _parameters(lite.ObjectIndexer.prepare_field) == ["self", "obj", "field"]
    assert _parameters(lite.SQLiteIndex._refresh_title_norms) == ["self", "full"]
    assert _parameters(lite.SQLiteSearchQueryCompiler.build_tsrank) == [
        "self",
        "vector",
        "query",
        "config",
        "boost",
    ]
    assert _parameters(lite.SQLiteSearchQueryCompiler.build_search_query) == ["self", "query", "config"]
    assert _parameters(lite.SQLiteSearchQueryCompiler.get_config) == ["self", "backend"]
    assert lite.SQLiteSearchQueryCompiler.FTS_TABLE_FIELDS == ["title", "body"]
    assert lite.SQLiteAutocompleteQueryCompiler.FTS_TABLE_FIELDS == ["autocomplete"]
    assert _parameters(lite.BM25.__init__) == ["self"]
    for method in ("_do_search", "_do_count"):
        assert _parameters(getattr(lite.SQLiteSearchResults, method)) == ["self"]


# --- The page tree, documents, cached relations --------------------------------------------------


@pytest.mark.django_db
def test_page_paths_are_treebeards(home):
    """The bulk loaders' paths are the ones treebeard's add_child would give."""
    first = home.add_child(instance=Page(title="first", slug="first"))
    second = home.add_child(instance=Page(title="second", slug="second"))
    assert compat.page_path_step(second.path) == compat.page_path_step(first.path) + 1
    assert compat.child_page_path(home.path, home.depth + 1, compat.page_path_step(second.path)) == second.path
    third = home.add_child(instance=Page(title="third", slug="third"))
    assert compat.child_page_path(home.path, home.depth + 1, compat.page_path_step(second.path) + 1) == third.path


@pytest.mark.django_db
def test_document_file_metadata_is_filled_as_on_upload(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    document = get_document_model()(title="t")
    document.file.save("t.txt", ContentFile(b"hello"), save=False)
    compat.set_document_file_metadata(document)
    assert document.file_size == 5
    assert document.file_hash  # sha1 of the content, as Wagtail's upload view stores it


@pytest.mark.django_db
def test_cached_relation_reads_what_django_holds_without_a_query(django_user_model, django_assert_num_queries):
    user = django_user_model.objects.create_user(username="cached")
    entry = PageLogEntry(user=user)
    with django_assert_num_queries(0):
        assert compat.cached_relation(entry, "user") is user
        assert compat.cached_relation(PageLogEntry(user_id=user.pk), "user") is None


@pytest.mark.django_db
def test_chooser_shown_again_with_an_id_that_is_not_a_number():
    """Wagtail's chooser widgets look the posted id up to render; a malformed one shows nothing chosen."""
    from wagtail.documents.widgets import AdminDocumentChooser

    compat.tolerate_malformed_chooser_values()  # idempotent: already done in CoreConfig.ready()
    widget = AdminDocumentChooser()
    assert widget.get_instance("x") is None
    assert widget.get_instance("99999999999999999999") is None
    assert 'name="document"' in widget.render("document", "x", attrs={"id": "id_document"})


@pytest.mark.django_db
def test_choice_id_too_large_for_the_database_is_an_invalid_choice():
    from django import forms

    compat.tolerate_overflowing_choice_ids()
    field = forms.ModelChoiceField(queryset=Page.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("99999999999999999999")
    assert refused.value.code == "invalid_choice"


# --- register_page_permission_policy ------------------------------------------------------------


def test_the_registered_page_policy_answers_for_every_page_and_is_bound_to_one_page(home):
    """Wagtail's registry finds the project's page policy for Page and its subclasses, and calls it with
    the page when asked for one page's policy (the permission tester's)."""
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from people.permissions import NetworkScopedPagePermissionPolicy, PageBoundPermissionPolicy

    assert isinstance(policy_registry.get_by_type(Page), NetworkScopedPagePermissionPolicy)
    assert isinstance(policy_registry.get_by_type(type(home)), NetworkScopedPagePermissionPolicy)
    bound = policy_registry.get(home)
    assert isinstance(bound, PageBoundPermissionPolicy) and bound.page is home
    assert isinstance(home.permissions_for_user(_user()).permission_policy, PageBoundPermissionPolicy)


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("nobody")


def test_a_stored_name_reads_in_the_active_language_and_stays_stored(home):
    """show_names_in_user_language: a data descriptor over Django's DeferredAttribute; reads go through
    it, the database and comparisons see the stored text."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy
    from wagtail.models import Task

    label = gettext_lazy("Provincial review")
    task = Task.objects.create(name="ชื่อที่เก็บไว้")
    previous = Task.__dict__["name"].label_for
    compat.show_names_in_user_language(Task, "name", lambda stored: label if stored == "ชื่อที่เก็บไว้" else None)
    try:
        task = Task.objects.get(pk=task.pk)
        with translation.override("en"):
            assert str(task.name) == "Provincial review" and f"{task.name}" == "Provincial review"
            assert task.name == "ชื่อที่เก็บไว้" and json.dumps(task.name) == json.dumps("ชื่อที่เก็บไว้")
            task.save()
        assert Task.objects.filter(pk=task.pk, name="ชื่อที่เก็บไว้").exists()
    finally:
        compat.show_names_in_user_language(Task, "name", previous)


def test_workflow_log_messages_are_given_translated_data():
    """show_log_messages_with wraps the registered formatters' format_message (Wagtail's log registry)."""
    from wagtail.log_actions import registry

    registry.scan_for_actions()
    formatter = registry.get_formatter(type("Entry", (), {"action": "wagtail.workflow.reject"})())
    assert getattr(formatter, "translates_data", False)


def test_page_chooser_text_stays_lazy():
    from django.utils import translation
    from wagtail.admin.widgets import AdminPageChooser

    from networks.models import NetworkPage

    with translation.override("th"):
        widget = AdminPageChooser(target_models=[NetworkPage])
    with translation.override("en"):
        assert str(widget.choose_one_text).startswith("Choose a page (")
