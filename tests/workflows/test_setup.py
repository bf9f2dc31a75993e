"""The workflows exist once, are bound to their document types, and the deadline check is scheduled."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from wagtail.models import Task, Workflow

from pages.models import CharterPage
from workflows.models import (
    ActionPlanApprovalTask,
    AssemblyAdoptionTask,
    CommitteeReviewTask,
    LocalGovernmentCommentTask,
    MinutesCertificationTask,
    ProvincialReviewTask,
    RegistrationTask,
    WorkflowBinding,
)

pytestmark = pytest.mark.django_db

create_workflows = importlib.import_module("workflows.migrations.0002_create_workflows").create_workflows


def test_three_workflows_with_their_steps_in_order(home):
    bindings = {b.document_type: b.workflow for b in WorkflowBinding.objects.select_related("workflow")}
    assert set(bindings) == {"pages.charterpage", "pages.meetingminutespage", "pages.actionplanpage"}
    charter_steps = [type(t.specific) for t in bindings["pages.charterpage"].tasks]
    assert charter_steps == [
        CommitteeReviewTask,
        AssemblyAdoptionTask,
        LocalGovernmentCommentTask,
        ProvincialReviewTask,
        RegistrationTask,
    ]
    assert [type(t.specific) for t in bindings["pages.meetingminutespage"].tasks] == [
        MinutesCertificationTask
    ]
    assert [type(t.specific) for t in bindings["pages.actionplanpage"].tasks] == [ActionPlanApprovalTask]


def test_the_data_migration_is_idempotent(home):
    before = Workflow.objects.count(), Task.objects.count(), WorkflowBinding.objects.count()
    create_workflows(django_apps, None)
    create_workflows(django_apps, None)
    assert (Workflow.objects.count(), Task.objects.count(), WorkflowBinding.objects.count()) == before


def test_documents_follow_their_type_wherever_they_sit(home):
    # The default Wagtail workflow on the root does not apply to our documents.
    charter = CharterPage(title="ร่าง", version_label="ร่าง")
    assert charter.get_workflow() == WorkflowBinding.objects.get(document_type="pages.charterpage").workflow


def test_deadline_check_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["check-workflow-deadlines"]
    assert entry["task"] == "workflows.tasks.check_deadlines"
    assert entry["schedule"] <= 24 * 60 * 60
