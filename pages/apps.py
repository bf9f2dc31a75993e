from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The documents of a network: charter, action plan, meeting minutes, and the one list of
    document types (pages.doctypes)."""

    name = "pages"
    verbose_name = _("Documents")

    def ready(self):
        # Imported here: receivers need the models, which exist only once the apps are loaded.
        from django.db.models.signals import post_save
        from wagtail.models import Revision

        from .signals import remember_draft_attachments

        post_save.connect(remember_draft_attachments, sender=Revision, dispatch_uid="pages_draft_attachments")
