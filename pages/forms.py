"""Admin forms of the documents: the checks that need the parent page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from core.thaidate import buddhist_year


class DocumentPageForm(WagtailAdminPageForm):
    """Documents are found through their network, so the slug is derived on save (see
    `NetworkDocumentPage.default_slug`) and is not part of the form."""


class MeetingMinutesPageForm(DocumentPageForm):
    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("meeting_number")
        meeting_date = cleaned.get("meeting_date")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("The meeting cannot end before it starts."))
        if number and meeting_date:
            network_id = self.instance.network_id or (self.parent_page.id if self.parent_page else None)
            year = buddhist_year(meeting_date)
            clash = self._meta.model.objects.filter(
                network_id=network_id, buddhist_year=year, meeting_number=number
            ).exclude(pk=self.instance.pk)
            if network_id and clash.exists():
                self.add_error(
                    "meeting_number",
                    _("Meeting %(number)s/%(year)s of this network already exists.")
                    % {"number": number, "year": year},
                )
        return cleaned
