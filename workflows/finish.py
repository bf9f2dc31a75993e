"""What happens when a workflow is approved at its last step (settings.WAGTAIL_FINISH_WORKFLOW_ACTION)."""

from wagtail.workflows import publish_workflow_state


def publish_approved_document(workflow_state, user=None):
    """Publish the approved revision. A recorded approval at a step whose decision is the authority to
    publish (the registrar's registration, the chair's certification or approval) publishes without
    Wagtail's page-permission check: those people hold no publish permission, and the step has
    already checked their role. Any other end (another workflow, or one of ours whose publishing step
    an administrator deactivated) goes through Wagtail's own action and its permission check."""
    # Imported here: this module is imported while wagtail.models is still loading.
    from wagtail.models import TaskState

    from .models import DecisionKind, StepDecision

    finishing = workflow_state.current_task_state
    if (
        finishing is None
        or finishing.status != TaskState.STATUS_APPROVED
        or not getattr(finishing.task.specific, "publishes_when_approved", False)
        or not StepDecision.objects.filter(task_state=finishing, kind=DecisionKind.APPROVED).exists()
    ):
        return publish_workflow_state(workflow_state, user=user)
    revision = workflow_state.content_object.get_latest_revision()
    return revision.publish(user=user, skip_permission_checks=True)
