from django import template

from pages.models import AgendaItem, MeetingMinutesPage

register = template.Library()


@register.simple_tag
def adoption_choices(page):
    """The certified minutes of the page's network, newest first, each with its agenda items, for the
    adoption dialog's choosers (two queries); only certified minutes may be cited. The other rules
    (meeting date, resolution, quorum, one text per resolution) are checked when the choice is submitted."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    network_id = getattr(specific, "network_id", None)
    if network_id is None:
        return []
    minutes = list(
        MeetingMinutesPage.objects.filter(network_id=network_id, live=True)
        .order_by("-meeting_date", "-meeting_number")
        .only(
            "id", "title", "meeting_number", "buddhist_year", "meeting_date", "committee_size", "network_id"
        )
    )
    items = {}
    for item in AgendaItem.objects.filter(page__in=minutes).order_by("page_id", "sort_order"):
        items.setdefault(item.page_id, []).append(item)
    return [{"minutes": m, "items": items.get(m.pk, [])} for m in minutes]
