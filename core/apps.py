from django.apps import AppConfig
from django.db import models
from django.utils.translation import gettext_lazy as _

from .widgets import BuddhistDateField, BuddhistDateInput


class CoreConfig(AppConfig):
    """The foundation every other app builds on: Thai dates and widgets, geography, the two languages,
    what the public may see of the tree. It imports no other app of the project."""

    name = "core"
    verbose_name = _("Foundation")

    def ready(self):
        # app loading: Wagtail's admin forms import its models, not ready when apps.py is imported.
        from wagtail.admin.forms.models import register_form_field_override

        from .wagtail_compat import (
            page_chooser_text_in_user_language,
            tolerate_malformed_chooser_values,
            tolerate_overflowing_choice_ids,
        )

        # Every date of a Wagtail admin model form (page editor, inline panels, ModelViewSets) is read
        # and shown in the Buddhist Era. exact_class: DateTimeField keeps Wagtail's own widget.
        register_form_field_override(
            models.DateField,
            override={"form_class": BuddhistDateField, "widget": BuddhistDateInput},
            exact_class=True,
        )
        # A chooser shown again with an id that is not a number: the form's error, not a 500.
        tolerate_malformed_chooser_values()
        tolerate_overflowing_choice_ids()
        # A page chooser built once (a form class made on the first request) speaks each reader's language.
        page_chooser_text_in_user_language()
