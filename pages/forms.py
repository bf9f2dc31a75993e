"""Admin forms of the documents: the checks that need the parent page, and the form's own structure."""

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from core.thaidate import buddhist_year

CREATE_TOKEN_FIELD = "create_token"


ALTERED_FORM = _(
    "The form arrived incomplete or altered (%(fields)s), so nothing was saved. Reload the page and "
    "enter the changes again."
)
_COUNT = re.compile(r"^[0-9]{1,5}$")


def _block_data_is_whole(data, name, block):
    """Whether a StreamField's posted data can be read: Wagtail reads its counts with int() and its
    items by key, so a missing, negative or huge count, a missing item or an unknown block type would
    be a 500 (or a block silently dropped) instead of an error on the form."""
    counts = [key for key in data if key.startswith(f"{name}-") and key.endswith(("-count", "-order"))]
    if f"{name}-count" not in data or not all(_COUNT.match(data.get(key) or "") for key in counts):
        return False
    child_blocks = getattr(block, "child_blocks", None)
    if child_blocks is not None and any(
        data.get(f"{name}-{i}-type") not in child_blocks for i in range(int(data[f"{name}-count"]))
    ):
        return False
    try:
        block.value_from_datadict(data, {}, name)
    except (KeyError, ValueError, TypeError):
        return False
    return True


# More rows than any meeting, plan or attendance list has: Django would otherwise build (and render
# again) up to 2,000 forms for one forged count, seconds of CPU for a single request.
MAX_ROWS = 500


def _altered_formsets(data):
    """The prefixes of inline formsets (child rows) whose counts no browser would send: a negative or
    huge count, or fewer forms than existing rows (which would drop rows silently)."""
    altered = []
    totals = {key[: -len("-TOTAL_FORMS")]: data.get(key) for key in data if key.endswith("-TOTAL_FORMS")}
    for prefix, total in totals.items():
        initial = data.get(f"{prefix}-INITIAL_FORMS", "0")
        if (not (_COUNT.match(total or "") and _COUNT.match(initial or "")) or int(total) < int(initial)
                or int(total) > MAX_ROWS):
            altered.append(prefix)
    return altered


class DocumentPageForm(WagtailAdminPageForm):
    """Documents are found through their network, so the slug is derived on save (see
    `NetworkDocumentPage.default_slug`) and is not part of the form.

    Posted data that no browser would send (a StreamField or formset whose counts or items are
    missing or altered, a JSON body) is refused with one message; the StreamField is shown empty
    again rather than read, since reading it is what fails."""

    def __init__(self, data=None, files=None, *args, **kwargs):
        self.altered_fields = []
        if data is not None:
            for name, field in type(self).base_fields.items():
                block = getattr(field, "block", None)
                if block is not None and not _block_data_is_whole(data, name, block):
                    self.altered_fields.append(str(field.label or name))
                    data = data.copy()
                    for key in [key for key in data if key.startswith(f"{name}-")]:
                        del data[key]
                    data[f"{name}-count"] = "0"
            altered = _altered_formsets(data)
            if altered:
                self.altered_fields.append(str(_("rows")))
                data = data.copy()
                for prefix in altered:  # shown again with the rows it has, not with the forged count
                    initial = data.get(f"{prefix}-INITIAL_FORMS", "0")
                    count = initial if _COUNT.match(initial or "") and int(initial) <= MAX_ROWS else "0"
                    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = count
        super().__init__(data, files, *args, **kwargs)
        if self.instance.pk is None:
            # One page per create form (pages.creation): Wagtail renders this hidden field with the form.
            self.fields[CREATE_TOKEN_FIELD] = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def clean(self):
        cleaned = super().clean()
        if self.altered_fields:
            self.add_error(None, ALTERED_FORM % {"fields": ", ".join(self.altered_fields)})
        return cleaned


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
