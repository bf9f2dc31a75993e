"""The duties of a registered organization (Act B.E. 2546 as amended; the National Commission's rule of
B.E. 2555): a half-year report within 30 days after the end of March and of September, and a notice
within 30 days of a change of name, office or committee, or of a dissolution.

The committee's chair or secretary files them; the registrar accepts or returns them with a reason (the
committee is e-mailed through the outbox); a returned filing is corrected and filed again. Every write
checks the role itself and runs in one transaction; the database refuses a second report for the same
half-year and a second notice of the same change.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.i18n import bilingual
from core.thaidate import format_date_for_language
from core.validation import require_text
from outbox.api import enqueue_email
from people.models import CommitteeRole
from people.roles import committee_users, is_chair_or_secretary, is_registrar

from .models import (
    ChangeNotice,
    FilingStatus,
    HalfYearReport,
    HalfYearReportMoney,
    MoneySource,
    NoticeDue,
    NoticeKind,
    RegistryEntry,
    RegistryStatus,
)

DUE_DAYS = 30
HALF_YEAR_ENDS = ((3, 31), (9, 30))  # end of March, end of September
# An organization is listed as overdue for the half-years of the last two years at most.
OVERDUE_PERIODS = 4
# Filings that fulfil the duty: a returned one does not until it is filed again.
FULFILLED = (FilingStatus.FILED, FilingStatus.ACCEPTED)
# The committee is told of the registrar's decision: its chair and secretary.
INFORMED_ROLES = [CommitteeRole.CHAIR, CommitteeRole.SECRETARY]


# --- Half-years ----------------------------------------------------------------------------------


def is_half_year_end(value: datetime.date) -> bool:
    return (value.month, value.day) in HALF_YEAR_ENDS


def half_year_start(period_end: datetime.date) -> datetime.date:
    """The first day of the half-year ending `period_end`: 1 October before a 31 March, 1 April before
    a 30 September."""
    if period_end.month == 3:
        return datetime.date(period_end.year - 1, 10, 1)
    return datetime.date(period_end.year, 4, 1)


def due_date(day: datetime.date) -> datetime.date:
    """30 days after the end of a half-year, or after a change."""
    return day + datetime.timedelta(days=DUE_DAYS)


def half_year_ends_before(day: datetime.date, count: int):
    """The last `count` half-year ends on or before `day`, newest first."""
    ends = []
    year = day.year
    while len(ends) < count:
        for month, dom in reversed(HALF_YEAR_ENDS):
            end = datetime.date(year, month, dom)
            if end <= day and len(ends) < count:
                ends.append(end)
        year -= 1
    return ends


def periods_to_report(entry, today=None):
    """The half-years the organization reports on, newest first: those ending on or after its
    registration and by `today` (at most the last two years). A dissolved or revoked organization
    reports on nothing after it ended."""
    today = today or timezone.localdate()
    ended_on = entry.dissolved_on or entry.revoked_on
    if entry.status != RegistryStatus.REGISTERED and ended_on:
        today = min(today, ended_on)
    return [end for end in half_year_ends_before(today, OVERDUE_PERIODS) if end >= entry.registered_on]


def period_label(period_end, language=None):
    language = language or translation.get_language()
    return _("%(start)s – %(end)s") % {
        "start": format_date_for_language(half_year_start(period_end), language),
        "end": format_date_for_language(period_end, language),
    }


# --- Who may do what -----------------------------------------------------------------------------


def may_file(user, entry) -> bool:
    """The chair or secretary of the organization's network, while its certification stands."""
    return entry.status == RegistryStatus.REGISTERED and is_chair_or_secretary(user, entry.network_id)


def no_more_filings_message(entry):
    """Why an organization whose certification no longer stands files nothing more."""
    if entry.status == RegistryStatus.DISSOLVED:
        return _("This organization was dissolved on %(date)s: it files nothing more.") % {
            "date": format_date_for_language(entry.dissolved_on, translation.get_language()),
        }
    return _("The certification of this organization was revoked: it files nothing more.")


def require_filer(user, entry):
    if entry.status != RegistryStatus.REGISTERED:
        raise ValidationError(no_more_filings_message(entry), code=entry.status)
    if not is_chair_or_secretary(user, entry.network_id):
        raise ValidationError(
            _("Only the chair or the secretary of the organization's committee may file its reports and notices."),
            code="not_chair_or_secretary",
        )


def require_registrar(user):
    if not is_registrar(user):
        raise ValidationError(_("Only a registrar may accept or return reports and notices."), code="not_registrar")


# --- Filing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    received: object
    spent: object


def _check_report(entry, period_end, members, money, today):
    errors = {}
    if not is_half_year_end(period_end):
        errors["period_end"] = _("A half-year ends on 31 March or on 30 September.")
    elif period_end < entry.registered_on:
        errors["period_end"] = _("The organization was registered after this half-year ended.")
    elif period_end > today:
        errors["period_end"] = _("This half-year has not ended yet.")
    if members is None or members < 0:
        errors["members"] = _("Give the number of members at the end of the half-year.")
    for source, amounts in money.items():
        if source not in MoneySource.values:
            errors["__all__"] = _("Unknown source of money: %(source)s.") % {"source": source}
        elif (amounts.received or 0) < 0 or (amounts.spent or 0) < 0:
            errors["__all__"] = _("An amount of money cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _opened(entry, model, filing, name, accepted_message):
    """The filing to write, new or the one being corrected, and its log action. Locks the organization
    first, so that one filing of it at a time is checked and written (inside the caller's transaction)."""
    RegistryEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if filing is None:
        return model(entry=entry), f"registry.{name}_filed"
    filing = model.objects.select_for_update().get(pk=filing.pk, entry=entry)
    if not filing.may_be_corrected:
        raise ValidationError(accepted_message, code="accepted")
    return filing, f"registry.{name}_refiled"


def _saved_as_filed(filing, user, unique_field, duplicate_message):
    """Mark the filing filed by `user` now and save it; the database's uniqueness answers a duplicate."""
    filing.status = FilingStatus.FILED
    filing.filed_at = timezone.now()
    filing.filed_by = user
    filing._history_user = user
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        raise ValidationError({unique_field: ValidationError(duplicate_message, code="duplicate")}) from None


def _log(filing, action, user, data):
    """Log `action` in Wagtail's audit log. The entry's title is stored as written, so it is the
    organization's name and number (the same in every language); the action's message words the rest
    in the reader's language (registry.wagtail_hooks)."""
    entry = filing.entry
    log(filing, action, user=user, data=data, title=f"{entry.organization_name} ({entry.registration_number})")


def _written(entry, user, model, filing, name, values, *, accepted_message, unique_field, duplicate_message, log_data,
             then=None):
    """Write `values` on a new filing of `model` (or on `filing`, being corrected), mark it filed by
    `user` and log it, in one transaction; `then(filing)` writes what hangs on it."""
    with transaction.atomic():
        filing, action = _opened(entry, model, filing, name, accepted_message)
        for field, value in values.items():
            setattr(filing, field, value)
        _saved_as_filed(filing, user, unique_field, duplicate_message)
        if then is not None:
            then(filing)
        _log(filing, action, user, log_data)
    return filing


def file_report(entry, user, *, period_end, activities, members, money, report=None, today=None):
    """File (or, for a report not yet accepted, correct and file again) the half-year report.

    `money` is {MoneySource value: Money(received, spent)}; sources with nothing are not kept."""
    today = today or timezone.localdate()
    require_filer(user, entry)
    activities = require_text(activities, _("Describe the activities of the half-year."), field="activities")
    _check_report(entry, period_end, members, money, today)

    def write_money(report):
        report.money.all().delete()
        HalfYearReportMoney.objects.bulk_create(
            HalfYearReportMoney(report=report, source=source, received=amounts.received or 0, spent=amounts.spent or 0)
            for source, amounts in money.items()
            if amounts.received or amounts.spent
        )

    return _written(
        entry, user, HalfYearReport, report, "report", {"period_end": period_end, "activities": activities, "members": members},
        accepted_message=_("This report was accepted: it can no longer be changed."), unique_field="period_end",
        duplicate_message=_("This organization has already filed its report for this half-year."),
        log_data={"period_end": period_end.isoformat()}, then=write_money,
    )


def _check_notice(entry, kind, changed_on, new_name, today):
    errors = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _("Choose what changed.")
    if changed_on is None:
        errors["changed_on"] = _("Give the date of the change.")
    elif changed_on > today:
        errors["changed_on"] = _("The date of the change cannot be in the future.")
    elif changed_on < entry.registered_on:
        errors["changed_on"] = _("The organization was registered after this date.")
    if kind == NoticeKind.NAME and not (new_name or "").strip():
        errors["new_name"] = _("Give the new name.")
    if errors:
        raise ValidationError(errors)


def file_notice(entry, user, *, kind, changed_on, details, new_name="", notice=None, today=None):
    """File (or correct and file again) a notice of a change of name, office or committee, or of a
    dissolution."""
    today = today or timezone.localdate()
    require_filer(user, entry)
    details = require_text(details, _("Describe the change."), field="details")
    _check_notice(entry, kind, changed_on, new_name, today)
    values = {"kind": kind, "changed_on": changed_on, "details": details,
              "new_name": (new_name or "").strip() if kind == NoticeKind.NAME else ""}
    return _written(
        entry, user, ChangeNotice, notice, "notice", values,
        accepted_message=_("This notice was accepted: it can no longer be changed."), unique_field="changed_on",
        duplicate_message=_("A notice of this change on this date has already been filed."), log_data={"kind": kind},
    )


# --- The registrar's decision --------------------------------------------------------------------


def _decided(model, filing, registrar):
    require_registrar(registrar)
    filing = model.objects.select_for_update().select_related("entry").get(pk=filing.pk)
    if filing.status != FilingStatus.FILED:
        raise ValidationError(_("This filing was decided already."), code="decided")
    filing.decided_at = timezone.now()
    filing.decided_by = registrar
    filing._history_user = registrar
    return filing


def _registry_follows(notice, registrar):
    """What an accepted notice changes in the registry (inside the accepting transaction): a change of
    name becomes the registered name (the old one stays in the entry's history); a dissolution ends a
    standing certification on the notice's date."""
    if notice.kind not in (NoticeKind.NAME, NoticeKind.DISSOLUTION):
        return
    entry = RegistryEntry.objects.select_for_update().get(pk=notice.entry_id)
    if notice.kind == NoticeKind.NAME:
        entry.organization_name = notice.new_name
        changed = ["organization_name"]
    elif entry.status == RegistryStatus.REGISTERED:
        entry.status = RegistryStatus.DISSOLVED
        entry.dissolved_on = notice.changed_on
        changed = ["status", "dissolved_on"]
    else:
        return  # revoked meanwhile: the revocation stands as the record of how it ended
    entry._history_user = registrar
    entry._change_reason = str(notice)
    entry.save(update_fields=changed)
    notice.entry = entry


def accept(filing, registrar):
    """Accept a report or a notice; an accepted notice of a change of name or of a dissolution changes
    the registry entry in the same transaction."""
    model = type(filing)
    with transaction.atomic():
        filing = _decided(model, filing, registrar)
        filing.status = FilingStatus.ACCEPTED
        filing.return_reason = ""
        filing.save()
        if isinstance(filing, ChangeNotice):
            _registry_follows(filing, registrar)
        _log(filing, "registry.filing_accepted", registrar, {})
        _inform_committee(filing, accepted=True)
    return filing


def return_filing(filing, registrar, reason):
    """Return a report or a notice to the committee with a reason; they correct it and file it again."""
    reason = require_text(reason, _("Give the reason for returning it."), field="reason")
    model = type(filing)
    with transaction.atomic():
        filing = _decided(model, filing, registrar)
        filing.status = FilingStatus.RETURNED
        filing.return_reason = reason
        filing._change_reason = reason
        filing.save()
        _log(filing, "registry.filing_returned", registrar, {"reason": reason})
        _inform_committee(filing, accepted=False)
    return filing


def _what(filing, language):
    if isinstance(filing, HalfYearReport):
        return _("the half-year report for %(period)s") % {"period": period_label(filing.period_end, language)}
    return _("the notice: %(kind)s on %(date)s") % {
        "kind": filing.get_kind_display(), "date": format_date_for_language(filing.changed_on, language),
    }


def _decision_text(filing, accepted):
    language = translation.get_language()
    values = {
        "what": _what(filing, language), "name": filing.entry.organization_name,
        "number": filing.entry.registration_number,
    }
    if accepted:
        subject = _("The registrar accepted %(what)s") % values
        body = _("The registrar accepted %(what)s of %(name)s (registration No. %(number)s).") % values
    else:
        subject = _("The registrar returned %(what)s") % values
        body = _(
            "The registrar returned %(what)s of %(name)s (registration No. %(number)s) for correction.\n\n"
            "Reason: %(reason)s\n\nCorrect it in the admin (Reports and notices) and file it again."
        ) % {**values, "reason": filing.return_reason}
    return subject, body


def _inform_committee(filing, *, accepted):
    recipients = [user.email for user in committee_users(filing.entry.network_id, INFORMED_ROLES)]
    if filing.filed_by_id and filing.filed_by and filing.filed_by.email:
        recipients.append(filing.filed_by.email)
    subject, body = bilingual(_decision_text, filing=filing, accepted=accepted)
    kind = "report" if isinstance(filing, HalfYearReport) else "notice"
    # One e-mail per decision: the decision time is part of the key.
    enqueue_email(
        recipients, subject, body, dedupe_key=f"registry-{kind}:{filing.pk}:{filing.status}:{filing.decided_at.isoformat()}"
    )


# --- What the registrar and the officers see -----------------------------------------------------


def waiting_reports():
    return (
        HalfYearReport.objects.filter(status=FilingStatus.FILED)
        .select_related("entry__network", "filed_by")
        .defer("entry__registered_text")
        .order_by("filed_at", "pk")
    )


def waiting_notices():
    return (
        ChangeNotice.objects.filter(status=FilingStatus.FILED)
        .select_related("entry__network", "filed_by")
        .defer("entry__registered_text")
        .order_by("filed_at", "pk")
    )


def _fulfilled_report(period_end):
    return Exists(
        HalfYearReport.objects.filter(entry_id=OuterRef("pk"), period_end=period_end, status__in=FULFILLED)
    )


def _fulfilled_notice(kind):
    return Exists(ChangeNotice.objects.filter(entry_id=OuterRef("pk"), kind=kind, status__in=FULFILLED))


# --- Notices due for changes the site saw itself (registry/signals.py) ----------------------------

# Kinds of change the site sees by itself: the committee's memberships and the network's office address.
DETECTED_KINDS = (NoticeKind.OFFICE, NoticeKind.COMMITTEE)


def record_notice_due(entry_id, kind, changed_on):
    """Remember that the organization's `kind` changed on `changed_on`; a second change of that kind on
    that day is the same notice (the database's uniqueness decides, even between two processes)."""
    NoticeDue.objects.bulk_create([NoticeDue(entry_id=entry_id, kind=kind, changed_on=changed_on)],
                                  ignore_conflicts=True)


def _notice_fulfils_due():
    """A notice filed or accepted, of the due's kind and dated on or after its change (inside a
    NoticeDue query)."""
    return Exists(ChangeNotice.objects.filter(
        entry_id=OuterRef("entry_id"), kind=OuterRef("kind"), changed_on__gte=OuterRef("changed_on"),
        status__in=FULFILLED,
    ))


def open_notices_due(entry_ids=None, changed_before=None):
    """The notices due that no notice fulfils yet, of standing organizations, oldest change first."""
    dues = NoticeDue.objects.filter(~_notice_fulfils_due(), entry__status=RegistryStatus.REGISTERED)
    if entry_ids is not None:
        dues = dues.filter(entry_id__in=list(entry_ids))
    if changed_before is not None:
        dues = dues.filter(changed_on__lt=changed_before)
    return dues.order_by("changed_on", "kind")


def open_notices_due_by_entry(entry_ids, changed_before=None):
    """{entry id: [NoticeDue, …]} in one query."""
    result = {pk: [] for pk in entry_ids}
    for due in open_notices_due(entry_ids, changed_before):
        result[due.entry_id].append(due)
    return result


def overdue_entries(today=None, province_codes=None):
    """Registered organizations with a duty past its 30 days, in one query: a half-year report (of the
    last two years) not filed, a change of name or a dissolution the site knows of (the network was
    renamed or taken off the site) without a notice, or a returned notice not filed again.

    Each entry carries `missing_periods` [(half-year end, due date)], `name_change_due`,
    `dissolution_due` and `returned_notices_due` (dates) once passed through `describe_overdue`.
    `province_codes` limits the list to those provinces (a provincial officer's)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=DUE_DAYS)
    periods = [end for end in half_year_ends_before(today, OVERDUE_PERIODS) if due_date(end) < today]
    entries = RegistryEntry.objects.filter(status=RegistryStatus.REGISTERED)
    if province_codes is not None:
        entries = entries.filter(network__province_code__in=list(province_codes))
    annotations = {f"report_{i}": _fulfilled_report(end) for i, end in enumerate(periods)}
    annotations["name_notice"] = _fulfilled_notice(NoticeKind.NAME)
    annotations["dissolution_notice"] = _fulfilled_notice(NoticeKind.DISSOLUTION)
    annotations["returned_notice"] = Exists(
        ChangeNotice.objects.filter(entry_id=OuterRef("pk"), status=FilingStatus.RETURNED, changed_on__lt=cutoff)
    )
    annotations["notice_due"] = Exists(
        NoticeDue.objects.filter(~_notice_fulfils_due(), entry_id=OuterRef("pk"), changed_on__lt=cutoff)
    )
    entries = entries.annotate(**annotations)
    overdue = Q(returned_notice=True) | Q(notice_due=True)
    for i, end in enumerate(periods):
        overdue |= Q(registered_on__lte=end, **{f"report_{i}": False})
    cutoff_time = timezone.now() - datetime.timedelta(days=DUE_DAYS)
    overdue |= Q(name_notice=False, network__last_published_at__lt=cutoff_time) & ~Q(network__title=F("organization_name"))
    overdue |= Q(dissolution_notice=False, network__live=False, network__latest_revision_created_at__lt=cutoff_time)
    return (
        entries.filter(overdue)
        .select_related("network")
        .defer("registered_text")
        .order_by("network__province_code", "organization_name", "pk"),
        periods,
    )


def describe_overdue(entry, periods, notices_due=()):
    """What `entry` (from overdue_entries) has not done: a list of (what, due date). `notices_due` are
    its open notices due past their 30 days (open_notices_due_by_entry)."""
    duties = []
    for i, end in enumerate(periods):
        if entry.registered_on <= end and not getattr(entry, f"report_{i}"):
            duties.append((_("Half-year report %(period)s") % {"period": period_label(end)}, due_date(end)))
    network = entry.network
    if network.title != entry.organization_name and not entry.name_notice and network.last_published_at:
        changed = timezone.localdate(network.last_published_at)
        duties.append((_("Notice of the change of name to “%(name)s”") % {"name": network.title}, due_date(changed)))
    if not network.live and not entry.dissolution_notice and network.latest_revision_created_at:
        changed = timezone.localdate(network.latest_revision_created_at)
        duties.append((_("Notice of a dissolution (the network was taken off the site)"), due_date(changed)))
    if entry.returned_notice:
        duties.append((_("A returned notice, not filed again"), None))
    for due in notices_due:
        duties.append((notice_due_label(due), due_date(due.changed_on)))
    return duties


def notice_due_label(due):
    """"Notice: Change of committee on <date>", the date in the reader's era."""
    return _("Notice: %(change)s on %(date)s") % {
        "change": due.get_kind_display(), "date": format_date_for_language(due.changed_on, translation.get_language()),
    }


# --- What the public sees ------------------------------------------------------------------------


def public_reports_by_entry(entry_ids):
    """{entry id: [report, …]} of the half-year reports filed (waiting for the registrar) or accepted,
    newest first, in one query; a report carries its period and status only (no personal data)."""
    result = {pk: [] for pk in entry_ids}
    reports = (
        HalfYearReport.objects.filter(entry_id__in=list(entry_ids), status__in=FULFILLED)
        .only("pk", "entry_id", "period_end", "status")
        .order_by("-period_end")
    )
    for report in reports:
        result[report.entry_id].append(report)
    return result


def committee_entries(networks):
    """The registry entries (standing or revoked) of `networks`, with their reports and notices."""
    return (
        RegistryEntry.objects.filter(network__in=networks)
        .select_related("network")
        .defer("registered_text")
        .prefetch_related(
            Prefetch("half_year_reports", queryset=HalfYearReport.objects.select_related("filed_by", "decided_by")),
            Prefetch("change_notices", queryset=ChangeNotice.objects.select_related("filed_by", "decided_by")),
        )
        .order_by("organization_name")
    )
