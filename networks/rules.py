"""Where a network may sit in the tree: its level and the levels allowed directly above it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    ZONE = "zone", _("Zone")
    DISTRICT = "district", _("District")
    TAMBON = "tambon", _("Tambon")


# Which level may sit directly under which: a district under its province (or a zone of it),
# never under another district. The national network sits under the home page.
ALLOWED_PARENT_LEVELS = {
    NetworkLevel.NATIONAL: {None},
    NetworkLevel.REGION: {NetworkLevel.NATIONAL},
    NetworkLevel.PROVINCE: {NetworkLevel.REGION},
    NetworkLevel.ZONE: {NetworkLevel.PROVINCE},
    NetworkLevel.DISTRICT: {NetworkLevel.PROVINCE, NetworkLevel.ZONE},
    NetworkLevel.TAMBON: {NetworkLevel.DISTRICT, NetworkLevel.ZONE},
}


def allowed_child_levels(parent_level):
    return [level for level, parents in ALLOWED_PARENT_LEVELS.items() if parent_level in parents]


def validate_network_position(level, parent):
    """Raise ValidationError unless a network of `level` may sit directly under `parent`."""
    parent_level = getattr(parent, "level", None)  # the home page has none
    if parent_level not in ALLOWED_PARENT_LEVELS.get(level, set()):
        raise ValidationError(
            {
                "level": _("A network at level “%(level)s” cannot be placed under “%(parent)s”.")
                % {"level": NetworkLevel(level).label, "parent": parent.title}
            }
        )
