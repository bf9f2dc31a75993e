"""Writing to the registry: registration, amendment, revocation and the numbered announcements.

Every change goes through these functions (the admin screens and the workflow's registration task call
them); each one checks the registrar's role itself, runs in one transaction and takes row locks so that
two registrars acting at the same moment never share a number nor register one revision twice.

Registration numbers read ``PP-YYYY-NNNN``: the province code of the network (``00`` for national and
regional networks), the Buddhist year of registration and a counter that runs across the whole country
within that year, e.g. ``57-2569-0001``. The counter alone makes a number unique, so the number stays
unique even if a province code were ever re-assigned; it is never reused, and a revoked entry keeps it.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.history import save_with_history
from core.thaidate import buddhist_year
from core.validation import require_text
from networks.models import NetworkPage
from pages.models import CharterPage
from people.roles import is_registrar

from .fingerprint import normalized_sha256
from .models import (
    AnnouncedEntry,
    AnnouncementSequence,
    RegistrationAnnouncement,
    RegistrationNumberSequence,
    RegistryAmendment,
    RegistryEntry,
    RegistryStatus,
)

# The words the law lets a certified organization add to its name (Act B.E. 2546 as amended, s. 40/3).
ORGANIZATION_SUFFIX = "(องค์กรสวัสดิการชุมชน)"

# Sent after the transaction commits, so receivers (certificates, e-mails) never see a rolled-back entry.
# registration_recorded: entry, amendment (None for a first registration), registrar.
registration_recorded = Signal()
# registration_revoked: entry, registrar.
registration_revoked = Signal()


def require_registrar(user):
    if not is_registrar(user):
        raise ValidationError(_("Only a registrar may change the registry."), code="not_registrar")


def registration_number(province_code, year_be, counter):
    return f"{province_code or '00'}-{year_be}-{counter:04d}"


def _next_in_sequence(model, **key):
    """Increment a counter row under a row lock and return the new value.

    The row is created if missing without a race (INSERT … ON CONFLICT DO NOTHING), then locked with
    SELECT … FOR UPDATE: a second transaction waits here until the first commits, then reads its value.
    Must run inside transaction.atomic().
    """
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    row = model.objects.select_for_update().get(**key)
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def sha256_of(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _charter_and_text(charter_page, revision):
    charter = charter_page.specific if not isinstance(charter_page, CharterPage) else charter_page
    if not isinstance(charter, CharterPage):
        raise ValidationError(_("Only a charter can be registered."), code="not_a_charter")
    if charter.network_id is None:
        raise ValidationError(_("This charter does not belong to a network."), code="no_network")
    if revision is None:
        return charter, charter, charter.plain_text()
    if revision.base_content_type_id != charter.get_base_content_type().pk or str(revision.object_id) != str(
        charter.pk
    ):
        raise ValidationError(_("This revision is not a revision of this charter."), code="wrong_revision")
    approved = revision.as_object()
    return charter, approved, approved.plain_text()


def register(charter_page, registrar, conditions="", revision=None, on_date=None):
    """Record the certification of a network's charter and return its RegistryEntry.

    The first registration of a network gets a new number; a later one is an amendment: the entry keeps
    its number and its current text moves on (earlier texts stay in the amendments and the history).
    Registering the same revision again (a retried task, a double click) changes nothing and returns the
    same entry. `revision` is the approved revision; without it the charter's current text is used.
    """
    require_registrar(registrar)
    charter, approved, text = _charter_and_text(charter_page, revision)
    on_date = on_date or timezone.localdate()
    digest = sha256_of(text)
    normalized_digest = normalized_sha256(text)
    version_label = getattr(approved, "version_label", "")

    with transaction.atomic():
        # One network at a time: the check for an existing entry and the write that follows cannot
        # interleave with another registration of the same network.
        network = NetworkPage.objects.select_for_update(of=("self",)).get(pk=charter.network_id)
        # The network's latest entry (ordering: newest first); a revoked one stays, for the record.
        entry = RegistryEntry.objects.select_for_update().filter(network=network).first()
        previous = None
        if entry is not None and entry.status != RegistryStatus.REGISTERED:
            if entry.charter_id == charter.pk:
                message = (
                    _("The organization of registration %(number)s was dissolved; its registration cannot be amended.")
                    if entry.is_dissolved else
                    _("The registration %(number)s was revoked; a revoked registration cannot be amended.")
                )
                raise ValidationError(message % {"number": entry.registration_number}, code=entry.status)
            # A new application after revocation or dissolution: a new entry, linked to the ended one.
            previous, entry = entry, None
        # What a registration and an amendment both record of the text they register.
        registered = dict(
            registered_on=on_date, charter_revision=revision, version_label=version_label,
            registered_text=text, text_sha256=digest, normalized_sha256=normalized_digest, conditions=conditions,
            registered_by=registrar,
        )

        if entry is None:
            year = buddhist_year(on_date)
            counter = _next_in_sequence(RegistrationNumberSequence, year=year)
            entry = RegistryEntry(
                network=network,
                registration_number=registration_number(network.province_code, year, counter),
                number_year=year,
                number_serial=counter,
                organization_name=network.title,
                charter=charter,
                previous_registration=previous,
                **registered,
            )
            save_with_history(entry, registrar)
            amendment = None
            log(entry, "registry.register", user=registrar, data={"number": entry.registration_number})
        else:
            if _is_repeat(entry, charter, revision, digest):
                return entry
            last = entry.amendments.aggregate(last=Max("sequence"))["last"] or 0
            amendment = save_with_history(RegistryAmendment(entry=entry, sequence=last + 1, **registered), registrar)
            # The entry's current text moves on; its registration (date, conditions, registrar) stays.
            save_with_history(
                entry, registrar, charter=charter, charter_revision=revision, version_label=version_label,
                registered_text=text, text_sha256=digest, normalized_sha256=normalized_digest,
            )
            log(entry, "registry.amend", user=registrar, data={"sequence": amendment.sequence})

        transaction.on_commit(
            lambda: registration_recorded.send(
                sender=RegistryEntry, entry=entry, amendment=amendment, registrar=registrar
            )
        )
    return entry


def _is_repeat(entry, charter, revision, digest):
    if revision is not None:
        # Any revision this entry ever registered, the original one included (kept in the history).
        return (
            entry.charter_revision_id == revision.pk
            or entry.amendments.filter(charter_revision=revision).exists()
            or entry.history.filter(charter_revision_id=revision.pk).exists()
        )
    return entry.charter_id == charter.pk and entry.text_sha256 == digest


def revoked_entry_of_charter(charter_id):
    """The revoked registry entry whose charter this is (its amendments are refused), or None."""
    return RegistryEntry.objects.filter(charter_id=charter_id, status=RegistryStatus.REVOKED).first()


def revoke(entry, registrar, reason, on_date=None):
    """Revoke a certification. The entry stays (public, marked revoked, with date and reason)."""
    require_registrar(registrar)
    reason = require_text(reason, _("Give the reason for revoking the registration."), field="reason")
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_revoked:
            raise ValidationError(
                _("The registration %(number)s is already revoked.") % {"number": entry.registration_number},
                code="already_revoked",
            )
        if entry.is_dissolved:
            raise ValidationError(
                _("The organization of registration %(number)s was dissolved: there is nothing to revoke.")
                % {"number": entry.registration_number},
                code="dissolved",
            )
        on_date = on_date or timezone.localdate()
        if on_date < entry.registered_on:
            raise ValidationError(
                {"revoked_on": _("A registration cannot be revoked before the date it was registered.")},
                code="before_registration",
            )
        save_with_history(
            entry, registrar, reason,
            status=RegistryStatus.REVOKED, revoked_on=on_date, revocation_reason=reason, revoked_by=registrar,
        )
        log(entry, "registry.revoke", user=registrar, data={"reason": reason})
        transaction.on_commit(
            lambda: registration_revoked.send(sender=RegistryEntry, entry=entry, registrar=registrar)
        )
    return entry


def issue_announcement(registrar, on_date=None):
    """Issue the next numbered announcement listing every registration not yet announced.

    Revoked registrations that were never announced are left out. Refuses when there is nothing new.
    """
    require_registrar(registrar)
    with transaction.atomic():
        # The counter's row lock also serialises the choice of entries: a second issuer waits, then
        # finds them already announced.
        number = _next_in_sequence(AnnouncementSequence, pk=1)
        pending = list(
            RegistryEntry.objects.filter(announced__isnull=True, status=RegistryStatus.REGISTERED)
            .order_by("registered_on", "pk")
            .values_list("pk", flat=True)
        )
        if not pending:
            raise ValidationError(
                _("No organization has been registered since the previous announcement."), code="nothing_new"
            )
        announcement = save_with_history(
            RegistrationAnnouncement(number=number, issued_on=on_date or timezone.localdate(), issued_by=registrar),
            registrar,
        )
        AnnouncedEntry.objects.bulk_create(AnnouncedEntry(announcement=announcement, entry_id=pk) for pk in pending)
        log(announcement, "registry.announce", user=registrar, data={"count": len(pending)})
    return announcement


# --- Names ---------------------------------------------------------------------------------------


def registered_organization_exists():
    """An Exists() expression for querysets of networks (or pages whose pk is a network's)."""
    return Exists(RegistryEntry.objects.filter(network_id=OuterRef("pk"), status=RegistryStatus.REGISTERED))


def with_registration_status(queryset):
    """Annotate networks with `is_registered_organization`, so organization_display_name() needs no query
    per network: ``with_registration_status(NetworkPage.objects.live())``."""
    return queryset.annotate(is_registered_organization=registered_organization_exists())


def is_registered_organization(network):
    registered = getattr(network, "is_registered_organization", None)
    if registered is None:
        registered = RegistryEntry.objects.filter(network_id=network.pk, status=RegistryStatus.REGISTERED).exists()
    return registered


def organization_display_name(network):
    """The network's name, with "(องค์กรสวัสดิการชุมชน)" while its certification stands."""
    if is_registered_organization(network):
        return f"{network.title} {ORGANIZATION_SUFFIX}"
    return network.title
