"""A dashboard panel for staff who may resend work: how much failed, how much is waiting."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import OutboxMessage, OutboxStatus
from .relay import redispatch_after


class OutboxHealthPanel(Component):
    name = "outbox_health"
    template_name = "outbox/panels/outbox_health.html"
    order = 50

    def get_context_data(self, parent_context):
        stuck_before = timezone.now() - redispatch_after()
        counts = OutboxMessage.objects.aggregate(
            failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
            waiting=Count("pk", filter=Q(status=OutboxStatus.PENDING, relay_attempts__gt=0)),
            stuck=Count("pk", filter=Q(status=OutboxStatus.DISPATCHED, dispatched_at__lt=stuck_before)),
        )
        return {**counts, "has_problems": any(counts.values())}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["has_problems"]:
            return ""  # nothing to report: no panel
        return render_to_string(self.template_name, context)
