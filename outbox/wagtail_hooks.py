from wagtail import hooks

from .views import OutboxMessageViewSet


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxMessageViewSet()
