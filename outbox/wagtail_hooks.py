from wagtail import hooks

from .panels import OutboxHealthPanel
from .views import OutboxMessageViewSet


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxMessageViewSet()


@hooks.register("construct_homepage_panels")
def add_outbox_health_panel(request, panels):
    if request.user.has_perm("outbox.change_outboxmessage"):
        panels.append(OutboxHealthPanel())
