"""What happens when a workflow is approved at its last step (settings.WAGTAIL_FINISH_WORKFLOW_ACTION)."""

from wagtail.workflows import publish_workflow_state


def publish_approved_document(workflow_state, user=None):
    """Publish the approved revision. A recorded approval at a step whose decision is the authority to
    publish (the registrar's registration, the chair's certification or approval) publishes without
    Wagtail's page-permission check: those people hold no publish permission, and the step has
    already checked their role. Any other end (another workflow, or one of ours whose publishing step
    an administrator deactivated) goes through Wagtail's own action and its permission check."""
    # app loading: Wagtail imports this module (WAGTAIL_FINISH_WORKFLOW_ACTION) while wagtail.models
    # is still loading; neither import below can run until it has.
    from wagtail.models import TaskState  # noqa: I001

    from .models import DecisionKind, StepDecision  # app loading: see above
    from .road import step_for_task  # app loading: it imports the models, see above

    finishing = workflow_state.current_task_state
    if (
        finishing is None
        or finishing.status != TaskState.STATUS_APPROVED
        # The step's road says whether it publishes: no query for the specific task row.
        or not getattr(step_for_task(finishing.task), "publishes", False)
        or not StepDecision.objects.filter(task_state=finishing, kind=DecisionKind.APPROVED).exists()
    ):
        return publish_workflow_state(workflow_state, user=user)
    # The decision (workflows.actions) has the page at hand already: the revision is given it rather
    # than loading it once more.
    page = workflow_state.content_object.specific
    revision = page.get_latest_revision()
    if revision.object_id == str(page.pk) and revision.content_type_id == page.content_type_id:
        type(revision)._meta.get_field("content_object").set_cached_value(revision, page)
    return revision.publish(user=user, skip_permission_checks=True)
