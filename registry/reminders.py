"""Reminders after registration, sent once each through outbox.reminders (registered with the outbox's
beat task in RegistryConfig.ready()).

- The half-year report is due within 30 days after the end of March and of September; the committee
  is reminded when that window opens.
- A change of name, or a dissolution (the network is taken off the site), must be reported within
  30 days; the committee is reminded once.
- A change of the committee or of the office the site saw (registry.signals, a NoticeDue) must be
  notified within 30 days; the committee is reminded once for each, unless a notice fulfils it.
"""

import datetime
import hashlib

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.i18n import bilingual
from core.thaidate import format_date_for_language
from outbox.reminders import send_reminder, sent_reminder_keys
from people.models import CommitteeRole
from people.roles import committee_users

from .duties import open_notices_due
from .models import FilingStatus, HalfYearReport, RegistryEntry, RegistryStatus

REPORT_WINDOW_DAYS = 30
HALF_YEAR_ENDS = ((3, 31), (9, 30))  # end of March, end of September
CHANGE_REPORT_DAYS = 30
# Who is reminded: the committee's chair and secretary.
REMINDED_ROLES = [CommitteeRole.CHAIR, CommitteeRole.SECRETARY]


def _date(value):
    return format_date_for_language(value, translation.get_language())


def open_report_period(today: datetime.date):
    """(period end, due date) when `today` falls within 30 days after the end of March or of
    September, else None."""
    for month, day in HALF_YEAR_ENDS:
        end = datetime.date(today.year, month, day)
        due = end + datetime.timedelta(days=REPORT_WINDOW_DAYS)
        if end < today <= due:
            return end, due
    return None


def _report_text(entry, period_end, due):
    subject = _("Reminder: half-year report due by %(date)s") % {"date": _date(due)}
    body = _(
        "%(name)s (registration No. %(number)s) must send its report for the half-year ending %(end)s "
        "by %(date)s."
    ) % {"name": entry.organization_name, "number": entry.registration_number, "end": _date(period_end), "date": _date(due)}
    return subject, body


def _name_change_text(entry, new_name, changed_on):
    subject = _("Reminder: report the change of name by %(date)s") % {
        "date": _date(changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS))
    }
    body = _(
        "The network registered as “%(old)s” (registration No. %(number)s) is now named “%(new)s”. "
        "A change of name must be reported to the registrar within %(days)s days, by %(date)s."
    ) % {
        "old": entry.organization_name, "new": new_name, "number": entry.registration_number,
        "days": CHANGE_REPORT_DAYS, "date": _date(changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS)),
    }
    return subject, body


def _dissolution_text(entry, changed_on):
    due = changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS)
    subject = _("Reminder: report the dissolution by %(date)s") % {"date": _date(due)}
    body = _(
        "%(name)s (registration No. %(number)s) has been taken off the site. If the organization is "
        "dissolved, this must be reported to the registrar within %(days)s days, by %(date)s."
    ) % {"name": entry.organization_name, "number": entry.registration_number, "days": CHANGE_REPORT_DAYS, "date": _date(due)}
    return subject, body


def _notice_due_text(entry, kind_label, changed_on):
    due = changed_on + datetime.timedelta(days=CHANGE_REPORT_DAYS)
    subject = _("Reminder: notify the registrar of the change by %(date)s") % {"date": _date(due)}
    body = _(
        "%(name)s (registration No. %(number)s): %(change)s on %(changed)s. A change of the committee or "
        "of the office must be notified to the registrar within %(days)s days, by %(date)s "
        "(Reports and notices, in the admin)."
    ) % {
        "name": entry.organization_name, "number": entry.registration_number, "change": kind_label,
        "changed": _date(changed_on), "days": CHANGE_REPORT_DAYS, "date": _date(due),
    }
    return subject, body


def _notice_due_builder(due):
    # The kind's label is worded in each language of the bilingual e-mail.
    return lambda entry, changed_on: _notice_due_text(entry, due.get_kind_display(), changed_on)


def remind_registered_organizations(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = open_report_period(today)
    # Runs every 15 minutes: reminders sent already are skipped before anything is asked of the
    # database per organization (the unique key still decides when two schedulers race).
    sent_keys = sent_reminder_keys(kind__in=["name_change", "dissolution", "notice_due"])
    if period:
        sent_keys |= sent_reminder_keys(kind="half_year_report", key__endswith=f":{period[0].isoformat()}")
    sent = 0
    # The open notices due of every standing organization, in one query (the organizations are read
    # in chunks below).
    notices_due = {}
    for notice_due in open_notices_due():
        notices_due.setdefault(notice_due.entry_id, []).append(notice_due)
    entries = RegistryEntry.objects.filter(status=RegistryStatus.REGISTERED).select_related("network")
    if period:
        # An organization that has filed its report for the open half-year is not reminded of it (read
        # in the same query as the organizations).
        entries = entries.annotate(half_year_filed=Exists(HalfYearReport.objects.filter(
            entry_id=OuterRef("pk"), period_end=period[0], status__in=[FilingStatus.FILED, FilingStatus.ACCEPTED]
        )))
    for entry in entries.iterator(chunk_size=500):
        network = entry.network
        due = []  # (key, kind, text builder, its values)
        if period and entry.registered_on <= period[0] and not entry.half_year_filed:
            due.append((
                f"half-year-report:{entry.pk}:{period[0].isoformat()}", "half_year_report", _report_text,
                {"period_end": period[0], "due": period[1]},
            ))
        if network.title != entry.organization_name:
            digest = hashlib.sha256(network.title.encode()).hexdigest()[:16]
            due.append((
                f"name-change:{entry.pk}:{digest}", "name_change", _name_change_text,
                {"new_name": network.title, "changed_on": timezone.localdate(network.last_published_at or now)},
            ))
        if not network.live:
            due.append((
                f"dissolution:{entry.pk}", "dissolution", _dissolution_text,
                {"changed_on": timezone.localdate(network.latest_revision_created_at or now)},
            ))
        for notice_due in notices_due.get(entry.pk, []):
            due.append((
                f"notice-due:{notice_due.pk}", "notice_due", _notice_due_builder(notice_due),
                {"changed_on": notice_due.changed_on},
            ))
        due = [item for item in due if item[0] not in sent_keys]
        if not due:
            continue
        recipients = [user.email for user in committee_users(network, REMINDED_ROLES)]
        for key, kind, builder, values in due:
            subject, body = bilingual(builder, entry=entry, **values)
            sent += send_reminder(key, kind, recipients, subject, body)
    return sent
