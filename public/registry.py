"""What the public registry shows: entries (registered and revoked, both public by law), their
registered versions, and the flat rows of the open-data downloads."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.geography import province_name
from core.thaidate import buddhist_year
from core.visibility import restricted_paths
from registry.fingerprint import normalized_sha256
from registry.models import RegistryEntry, RegistryStatus
from registry.services import ORGANIZATION_SUFFIX

from .links import absolute_reverse, page_full_url


def registry_entries():
    """Every entry with what a listing row needs, in one query: not the charter's text (a listing
    links to the charter; its chapters and plain text would be read for nothing)."""
    return RegistryEntry.objects.select_related("network", "charter").defer(
        "charter__chapters", "charter__body_text", "charter__preamble"
    )


def organization_name(entry):
    """The registered name (an accepted notice of a change of name renames it): "(องค์กรสวัสดิการชุมชน)"
    follows it while the certification stands."""
    standing = entry.status == RegistryStatus.REGISTERED
    # The entry in hand already says whether it stands: no query per row for the network's name either.
    entry.network.is_registered_organization = standing
    return f"{entry.organization_name} {ORGANIZATION_SUFFIX}" if standing else entry.organization_name


def public_charter(entry, request=None):
    """The entry's charter page if the public may see it (live, no view restriction), else None."""
    charter = entry.charter
    if charter is None or not charter.live:
        return None
    if any(charter.path.startswith(path) for path in restricted_paths(request)):
        return None
    return charter


@dataclass(frozen=True)
class RegisteredVersion:
    index: int  # 0 = the original registration, N = amendment N
    label: str
    registered_on: object
    text: str
    sha256: str
    # Of the normalized text (registry.fingerprint): what a copy from the print view or the PDF matches.
    normalized_sha256: str = ""

    @property
    def is_original(self):
        return self.index == 0


def registered_versions(entry, amendments=None):
    """The original registration and each registered amendment, oldest first.

    An amendment moves the entry's own text on to the amended one; the original text then lives in
    the entry's first history record (and each amendment keeps its own text)."""
    amendments = list(entry.amendments.order_by("sequence") if amendments is None else amendments)
    original = entry
    if amendments:
        original = entry.history.order_by("history_date", "history_id").first() or entry
    original_label = getattr(original, "version_label", "") or str(_("Original registration"))
    versions = [
        RegisteredVersion(0, original_label, entry.registered_on, original.registered_text, original.text_sha256,
                          _normalized(original))
    ]
    for amendment in amendments:
        label = amendment.version_label or str(_("Amendment %(number)s") % {"number": amendment.sequence})
        versions.append(RegisteredVersion(amendment.sequence, label, amendment.registered_on,
                                          amendment.registered_text, amendment.text_sha256, _normalized(amendment)))
    return versions


def _normalized(registered):
    # Stored at registration (and by the migration for older entries); computed for a row written
    # without it (a bulk load).
    return getattr(registered, "normalized_sha256", "") or normalized_sha256(registered.registered_text)


DOWNLOAD_FIELDS = [
    "registration_number", "organization_name", "network_name", "network_name_en", "province_code",
    "province_name", "registered_on", "registered_year_be", "status", "revoked_on", "revocation_reason",
    "dissolved_on",
    "text_sha256", "charter_url", "network_url", "verify_url",
]


def download_row(entry, request):
    network = entry.network
    charter = public_charter(entry, request)
    return {
        "registration_number": entry.registration_number,
        "organization_name": organization_name(entry),
        "network_name": network.title,
        "network_name_en": network.name_en,
        "province_code": network.province_code,
        "province_name": province_name(network.province_code, english=False),
        "registered_on": entry.registered_on.isoformat(),
        "registered_year_be": buddhist_year(entry.registered_on),
        "status": entry.status,
        "revoked_on": entry.revoked_on.isoformat() if entry.revoked_on else None,
        "revocation_reason": entry.revocation_reason if entry.is_revoked else "",
        "dissolved_on": entry.dissolved_on.isoformat() if entry.dissolved_on else None,
        "text_sha256": entry.text_sha256,
        # One base for the three (public.links): the setting, else the request's address.
        "charter_url": page_full_url(request, charter) if charter else None,
        "network_url": page_full_url(request, network) if network.live else None,
        "verify_url": absolute_reverse(request, "public:verify", entry.registration_number),
    }
