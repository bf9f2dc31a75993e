"""The publishing at the end of our workflows skips Wagtail's publish permission only after a
recorded approval at a step meant to publish (workflows.finish)."""

import pytest
from wagtail.models import TaskState

from registry.models import RegistryEntry
from workflows.models import RegistrationTask

from .conftest import CHECKLIST_ALL, current_task_state, decide, error_messages

pytestmark = pytest.mark.django_db


@pytest.mark.walked_to("done")
def test_registration_publishes_the_charter(world, client):
    world["charter"].refresh_from_db()
    assert world["charter"].live
    assert RegistryEntry.objects.filter(network=world["net_a"]).exists()


@pytest.mark.walked_to("provincial")
def test_a_workflow_ending_before_registration_does_not_publish(world, client):
    """An administrator deactivated the registration step: the provincial officer's forwarding would
    end the workflow, but it is no authority to publish, and the officer holds no publish permission."""
    charter = world["charter"]
    provincial = current_task_state(charter)
    RegistrationTask.objects.update(active=False)

    response = decide(client, world["officer_57"], charter, **CHECKLIST_ALL)

    assert response.status_code == 302
    assert error_messages(client, response)
    charter.refresh_from_db()
    assert not charter.live
    assert not RegistryEntry.objects.exists()
    assert TaskState.objects.get(pk=provincial.pk).status == TaskState.STATUS_IN_PROGRESS
