"""Whether a meeting could decide: more than half of the committee present, unless the network
has set another rule."""

from django.db.models import Q

from people.models import CommitteeMembership


def committee_size_at(minutes):
    """Committee members in office at the meeting: the number written in the minutes if any, else
    the memberships of the network's committee that were running on the meeting date."""
    if minutes.committee_size:
        return minutes.committee_size
    date = minutes.meeting_date
    return (
        CommitteeMembership.objects.filter(network_id=minutes.network_id, started_on__lte=date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date))
        .count()
    )


def quorum_met(present, size, network=None):
    # A network's own rule, when it has one, is a minimum share of the committee in percent
    # (`quorum_percent` on the network); the default is the statute's "more than half".
    percent = getattr(network, "quorum_percent", None) if network is not None else None
    if size <= 0:
        return False
    if percent:
        return present * 100 >= percent * size
    return present * 2 > size


def committee_presence(minutes):
    """(committee members present, committee size, quorum met)."""
    present = minutes.present_members.filter(is_committee_member=True).count()
    size = committee_size_at(minutes)
    return present, size, quorum_met(present, size, minutes.network)
