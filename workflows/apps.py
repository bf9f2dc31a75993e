from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _
from wagtail import signals

from core import providers

# Wagtail's synchronous workflow e-mails (wagtail.admin.signal_handlers), by their dispatch_uid.
WAGTAIL_EMAIL_RECEIVERS = (
    ("task_submitted", "TaskState", "group_approval_task_submitted_email_notification"),
    ("workflow_submitted", "WorkflowState", "workflow_state_submitted_email_notification"),
    ("workflow_rejected", "WorkflowState", "workflow_state_rejected_email_notification"),
    ("workflow_approved", "WorkflowState", "workflow_state_approved_email_notification"),
)


def _wagtail_email_switched_off(sender, **kwargs):
    """Holds the dispatch_uid of one of Wagtail's synchronous e-mail receivers, so that it is never
    connected: our e-mails go through the outbox (workflows.notifications)."""


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Approval workflows")

    def ready(self):
        # app loading: wagtail.models defines models, which cannot be imported while apps.py is.
        from wagtail import models as wagtail_models

        for signal_name, sender_name, dispatch_uid in WAGTAIL_EMAIL_RECEIVERS:
            signal = getattr(signals, signal_name)
            sender = getattr(wagtail_models, sender_name)
            # If wagtail.admin got here first its receiver is removed; if not, ours takes its
            # dispatch_uid and Django ignores Wagtail's later connect with the same uid.
            signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
            signal.connect(_wagtail_email_switched_off, sender=sender, dispatch_uid=dispatch_uid, weak=False)

        # app loading: the handlers send e-mails through the outbox, whose models are not ready when
        # apps.py is imported.
        from .signal_handlers import on_task_submitted

        # task_submitted is sent with the specific TaskState class as sender; ours are plain TaskStates.
        signals.task_submitted.connect(on_task_submitted, dispatch_uid="workflows_notify_step_waiting")

        # app loading: both modules import models, which are not ready when apps.py is imported.
        from outbox.reminders import register_periodic_reminders

        from .reminders import remind_provincial_reviews

        register_periodic_reminders(remind_provincial_reviews)

        # The document pages (pages.models) ask for their workflow and their state in words through
        # core.providers. app loading: both modules import models.
        from .models import workflow_for
        from .status import document_status

        providers.document_workflow.register(workflow_for)
        providers.document_status.register(document_status)

        # A revocation is told to the committee and the provincial officers. app loading: models.
        from registry.services import registration_revoked

        from .notifications import notify_revocation

        registration_revoked.connect(notify_revocation, dispatch_uid="workflows_notify_revocation")

        # Workflow and step names print in the reader's language (workflows.names). app loading: models.
        from core.wagtail_compat import show_names_in_user_language

        from .names import label_for

        show_names_in_user_language(wagtail_models.Workflow, "name", label_for)
        show_names_in_user_language(wagtail_models.Task, "name", label_for)

        # `manage.py check` fails when the database's workflows differ from workflows/road.py.
        # app loading: the check reads models.
        from .building import check_roads

        checks.register(check_roads, "workflows")
