"""Staff see the outgoing work (what is waiting, what failed and why) and send a failed message again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import ListingButton

from core.admin_views import SystemWrittenViewSet

from . import api
from .models import OutboxMessage, OutboxStatus

RETRYABLE = (OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.DISPATCHED)


class OutboxIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status in RETRYABLE and self.request.user.has_perm("outbox.change_outboxmessage"):
            buttons.insert(
                0,
                ListingButton(
                    _("Send again"),
                    url=reverse("outbox_message:retry", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=5,
                ),
            )
        return buttons


class ErrorColumn(Column):
    def get_value(self, instance):
        return Truncator(instance.last_error).chars(120)


def status_primary(instance):
    return instance.status == OutboxStatus.DONE


class OutboxMessageViewSet(SystemWrittenViewSet):
    """Messages are written by the system only; a failed one can be sent again (retry_view)."""

    model = OutboxMessage
    icon = "mail"
    menu_label = _("Outgoing work")
    url_prefix = "outbox"
    name = "outbox_message"
    index_view_class = OutboxIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status", "task_name"]
    ordering = ["-created_at", "-pk"]
    list_display = [
        "description",
        StatusTagColumn("status", label=_("status"), primary=status_primary, sort_key="status"),
        Column("attempts", label=_("runs"), sort_key="attempts"),
        Column("relay_attempts", label=_("broker attempts"), sort_key="relay_attempts"),
        ErrorColumn("last_error", label=_("last error")),
        DateColumn("created_at", label=_("created"), sort_key="created_at"),
    ]
    inspect_view_fields = [
        "task_name", "status", "dedupe_key", "attempts", "relay_attempts", "next_relay_at", "last_error",
        "created_at", "dispatched_at", "started_at", "done_at", "payload",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("retry/<int:pk>/", retry_view, name="retry")]


def retry_view(request, pk):
    if not request.user.has_perm("outbox.change_outboxmessage"):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage, pk=pk)
    if request.method == "POST":
        if api.retry(message):
            messages.success(request, _("The message is queued again: “%(what)s”.") % {"what": message.description})
        else:
            messages.error(request, _("This message is done already; it was not sent again."))
        return redirect("outbox_message:index")
    return TemplateResponse(request, "outbox/retry_confirm.html", {"message": message})
