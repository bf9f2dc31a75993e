from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .actions import LOG_APPLICATION_REJECTED, LOG_MOVED_ON


@hooks.register("register_log_actions")
def register_workflow_log_actions(actions):
    @actions.register_action(LOG_APPLICATION_REJECTED)
    class ApplicationRejected(LogFormatter):
        label = _("Application rejected")

        def format_message(self, log_entry):
            return _("Application rejected at “%(task)s”") % {
                "task": log_entry.data.get("task", {}).get("title", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action(LOG_MOVED_ON)
    class MovedOnAfterDeadline(LogFormatter):
        label = _("Moved on after the deadline")

        def format_message(self, log_entry):
            return _("“%(task)s” closed without a decision") % {
                "task": log_entry.data.get("task", {}).get("title", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


@hooks.register("before_edit_page")
def show_document_state(request, page):
    """The edit screen's header says only live/draft; the document's place on its road (and a
    rejection) is told at the top of the screen, in the user's admin language."""
    if request.method != "GET" or request.headers.get("x-requested-with") == "XMLHttpRequest":
        return None
    from wagtail.admin import messages

    from .models import WorkflowBinding

    if not WorkflowBinding.objects.filter(document_type=page._meta.label_lower).exists():
        return None
    from .status import document_status

    messages.info(request, _("Current state: %(state)s") % {"state": document_status(page)})
    return None
