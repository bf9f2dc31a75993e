"""What happens when a workflow is approved at its last step (settings.WAGTAIL_FINISH_WORKFLOW_ACTION)."""

from wagtail.workflows import publish_workflow_state


def publish_approved_document(workflow_state, user=None):
    """Publish the approved revision. The last step's decision is the authority to publish: the
    registrar (or the chair, for minutes and plans) holds no Wagtail publish permission, and the task
    has already checked their role; so Wagtail's page-permission check is skipped here."""
    from .models import NetworkStepTask, WorkflowBinding

    if not WorkflowBinding.objects.filter(workflow_id=workflow_state.workflow_id).exists():
        return publish_workflow_state(workflow_state, user=user)
    last_task = workflow_state.workflow.tasks.last()
    if last_task is None or not isinstance(last_task.specific, NetworkStepTask):
        return publish_workflow_state(workflow_state, user=user)
    revision = workflow_state.content_object.get_latest_revision()
    return revision.publish(user=user, skip_permission_checks=True)
