from django.apps import AppConfig
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .widgets import (
    DATE_HINT,
    BuddhistDateField,
    BuddhistDateInput,
    BuddhistDateTimeField,
    BuddhistDateTimeInput,
)


def _date_range_input(attrs):
    # Wagtail's placeholder ("Date from") with the Buddhist-Era hint.
    return BuddhistDateInput({**attrs, "placeholder": format_lazy("{} {}", attrs.get("placeholder", ""), DATE_HINT)})


class CoreConfig(AppConfig):
    """The foundation every other app builds on: Thai dates and widgets, geography, the two languages,
    what the public may see of the tree. It imports no other app of the project."""

    name = "core"
    verbose_name = _("Foundation")

    def ready(self):
        # app loading: Wagtail's admin forms import its models, not ready when apps.py is imported.
        from wagtail.admin.forms.models import register_form_field_override

        from . import report_exports, thaidate
        from .wagtail_compat import (
            date_range_filters_with,
            page_chooser_text_in_user_language,
            render_timestamps_with,
            schedule_publishing_with,
            spreadsheet_exports_with,
            tolerate_malformed_chooser_values,
            tolerate_overflowing_choice_ids,
        )

        # Every date of a Wagtail admin model form (page editor, inline panels, ModelViewSets) is read
        # and shown in the Buddhist Era. exact_class: DateTimeField (a subclass) has its own, below.
        register_form_field_override(
            models.DateField,
            override={"form_class": BuddhistDateField, "widget": BuddhistDateInput},
            exact_class=True,
        )
        # And every date-and-time (a page's go-live and expiry): '14/05/2569 09:30'. Wagtail's schedule
        # dialog names its own picker widget, swapped here too.
        register_form_field_override(
            models.DateTimeField,
            override={"form_class": BuddhistDateTimeField, "widget": BuddhistDateTimeInput},
            exact_class=True,
        )
        schedule_publishing_with(BuddhistDateTimeInput)
        # The date filters of Wagtail's reports and histories, and their "Download CSV / XLSX".
        date_range_filters_with(
            lambda: BuddhistDateField(required=False),
            _date_range_input,
            lambda value: thaidate.format_date_for_language(value, get_language()),
        )
        spreadsheet_exports_with(report_exports.csv_text, report_exports.xlsx_value, report_exports.xlsx_number_format)
        # Wagtail's notices and messages ("locked by you on ...", "replaced with version from ...").
        render_timestamps_with(lambda moment: thaidate.format_datetime_for_language(moment, get_language()))
        # A chooser shown again with an id that is not a number: the form's error, not a 500.
        tolerate_malformed_chooser_values()
        tolerate_overflowing_choice_ids()
        # A page chooser built once (a form class made on the first request) speaks each reader's language.
        page_chooser_text_in_user_language()
