"""Wagtail's admin dates in the Buddhist Era. Loaded after `wagtailadmin_tags` by the project's copies of
Wagtail's templates (core/templates/wagtailadmin/), its `timesince_last_update` replaces Wagtail's
relative or Christian-era time with the date itself."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import thaidate

register = template.Library()


@register.simple_tag
def timesince_last_update(last_update, show_time_prefix=False, user_display_name="", use_shorthand=True):
    """'7 ธ.ค. 2569 13:22 น. โดย สมชาย' (the same arguments as Wagtail's tag)."""
    moment = thaidate.format_datetime_for_language(last_update, get_language())
    if user_display_name:
        # Wagtail's own msgid, translated in its catalog (and locale_admin/).
        return _("%(time)s by %(user_display_name)s") % {"time": moment, "user_display_name": user_display_name}
    return moment
