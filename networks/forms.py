"""The admin form of a network page: the checks that need the parent page."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .rules import NetworkLevel, allowed_child_levels, validate_network_position


class NetworkPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        level = cleaned.get("level")
        if level and self.parent_page is not None and not self.instance.pk:
            try:
                validate_network_position(level, self.parent_page.specific)
            except ValidationError as exc:
                self.add_error(None, exc.message_dict.get("level"))
        return cleaned
