"""What the minutes say in words about the quorum, the same on the public page and in the PDF:
«ครบองค์ประชุม (มาประชุม ๓๒ จาก ๔๕ คน)» or «ไม่ครบองค์ประชุม (…)». The rule is the one the workflow
applies when a meeting adopts a charter (workflows.quorum)."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.thaidate import thai_numerals
from networks.models import NetworkPage
from people.models import CommitteeMembership
from workflows.quorum import committee_size_at, quorum_met


@dataclass(frozen=True)
class Quorum:
    present: int  # committee members present (not those also attending)
    size: int  # committee members in office; 0 when unknown
    met: bool

    @property
    def known(self):
        return self.size > 0

    def thai(self):
        """The sentence of the official layout, in Thai digits."""
        present, size = thai_numerals(self.present), thai_numerals(self.size)
        if not self.known:
            return f"มาประชุม {present} คน (ไม่ได้ระบุจำนวนกรรมการทั้งคณะ จึงไม่อาจตรวจองค์ประชุม)"
        words = "ครบองค์ประชุม" if self.met else "ไม่ครบองค์ประชุม"
        return f"{words} (มาประชุม {present} จาก {size} คน)"


def committee_in_office(page):
    """An expression for the committee members in office on the meeting date, as
    workflows.quorum.committee_size_at counts them, to annotate a query the page runs anyway."""
    memberships = (
        CommitteeMembership.objects.filter(network_id=page.network_id, started_on__lte=page.meeting_date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=page.meeting_date))
        .order_by().values("network_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(memberships), 0)


def present_members_with_committee_size(page):
    """The members present, each carrying `committee_in_office` (one query for both)."""
    return list(page.present_members.annotate(committee_in_office=committee_in_office(page)))


def minutes_quorum(page, present_members=None, network=None):
    """The quorum of a meeting. `present_members`: as present_members_with_committee_size reads them
    (or plain, then the size is counted apart); `network`: the page's network if in hand (with its
    quorum_percent)."""
    if present_members is None:
        present_members = present_members_with_committee_size(page)
    present = sum(1 for member in present_members if member.is_committee_member)
    if page.committee_size:
        size = page.committee_size
    elif present_members and hasattr(present_members[0], "committee_in_office"):
        size = present_members[0].committee_in_office
    else:
        size = committee_size_at(page)
    if network is None or network.pk != page.network_id:
        network = None
        if page.network_id is not None:
            network = NetworkPage.objects.filter(pk=page.network_id).only("quorum_percent").first()
    return Quorum(present, size, quorum_met(present, size, network))


# Where a Thai area name begins inside a longer name: "…ชุมชนตำบลบ้านดู่อำเภอเมือง" keeps "ตำบลบ้านดู่" and
# "อำเภอเมือง" each on one line.
AREA_PREFIX = r"(?:องค์การบริหารส่วน|เทศบาล|ตำบล|อำเภอ|จังหวัด)"
AREA_NAME = re.compile(rf"({AREA_PREFIX}[^\s<>&]+?)(?={AREA_PREFIX}|[\s<&]|$)")


def keep_names_together(text):
    """HTML of `text` with each area name (ตำบล…, อำเภอ…, จังหวัด…) in a span that the line never
    breaks inside: Thai line breaking would otherwise split «ตำบล / บ้านดู่» at a word boundary."""
    escaped = str(conditional_escape(text))
    return mark_safe(AREA_NAME.sub(r'<span class="name">\1</span>', escaped))
