"""Admin forms for network pages and their documents: the checks that need the parent page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .thaidate import buddhist_year


class NetworkPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import NetworkLevel, allowed_child_levels

        parent = self.parent_page.specific if self.parent_page else None
        if self.instance.pk:
            # A network's place in the tree and its official code decide which officers and
            # children it has; they are fixed once the network exists.
            for name in ("level", "area_code"):
                if name in self.fields:
                    self.fields[name].disabled = True
        elif parent is not None and "level" in self.fields:
            allowed = allowed_child_levels(getattr(parent, "level", None))
            self.fields["level"].choices = [(v, NetworkLevel(v).label) for v in allowed]

    def clean(self):
        cleaned = super().clean()
        from .models import validate_network_position

        level = cleaned.get("level")
        if level and self.parent_page is not None and not self.instance.pk:
            try:
                validate_network_position(level, self.parent_page.specific)
            except ValidationError as exc:
                self.add_error(None, exc.message_dict.get("level"))
        return cleaned


class DocumentPageForm(WagtailAdminPageForm):
    """Documents are found through their network, so the slug is derived on save (see
    `NetworkDocumentPage.default_slug`) and is not part of the form."""


class MeetingMinutesPageForm(DocumentPageForm):
    def clean(self):
        cleaned = super().clean()
        from .models import MeetingMinutesPage

        number = cleaned.get("meeting_number")
        meeting_date = cleaned.get("meeting_date")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("The meeting cannot end before it starts."))
        if number and meeting_date:
            network_id = self.instance.network_id or (self.parent_page.id if self.parent_page else None)
            year = buddhist_year(meeting_date)
            clash = MeetingMinutesPage.objects.filter(
                network_id=network_id, buddhist_year=year, meeting_number=number
            ).exclude(pk=self.instance.pk)
            if network_id and clash.exists():
                self.add_error(
                    "meeting_number",
                    _("Meeting %(number)s/%(year)s of this network already exists.")
                    % {"number": number, "year": year},
                )
        return cleaned
