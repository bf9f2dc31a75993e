"""Importing a source, comparing the three sources fund by fund, and resolving what they disagree on.

Definitions (README, "From three spreadsheets to one reconciled list"):
- The *current* import of a source for a province is its latest; older ones are kept, superseded.
- A fund is *present* in a source when a row of that source's current import is matched to it.
- A field *disagrees* when the sources present that give a value give more than one value, unless a
  person resolved it (Resolution) and no import made after the resolution gives another value. A
  newer import that says otherwise opens it again.
- A fund *agrees* when at least one source mentions it and none of its fields disagrees; it
  *disagrees* when one field or more does. Funds no source mentions are neither.
- A fund is *missing in* a source when that source has been imported for the province, another
  source mentions the fund, and this one does not.
- *Unmatched rows* are rows of the current imports that have no fund yet (unmatched, or ambiguous and
  waiting for a person).
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import RECONCILED_FIELDS, FundRecord, FundStatus
from funds.services import fund_networks, set_fund_values
from networks.models import NetworkPage

from .matching import FundIndex, match_row
from .models import (
    IDENTITY_FIELDS,
    SOURCES,
    MatchMethod,
    PendingUpload,
    Resolution,
    RowStatus,
    Source,
    SourceImport,
    SourceRow,
)
from .normalize import CellError, read_count, read_money, read_status, read_year
from .reading import read_table

PENDING_KEPT = datetime.timedelta(days=1)
YEAR_FIELDS = ("founded_year",)
COUNT_FIELDS = ("members_now",)
TARGETS = (*IDENTITY_FIELDS, *RECONCILED_FIELDS)

# Header words that suggest a column's meaning, compared without spaces in lower case; the first
# target whose word the header contains wins, so the more specific words come first.
HEADER_HINTS = (
    ("tambon_code", ("รหัสตำบล", "รหัสกองทุน", "รหัสพื้นที่", "tamboncode", "subdistrictcode", "code", "รหัส")),
    ("district", ("อำเภอ", "district", "amphoe")),
    ("founded_year", ("ปีที่ก่อตั้ง", "ปีก่อตั้ง", "ปีที่จัดตั้ง", "ปีจัดตั้ง", "ก่อตั้ง", "จัดตั้ง", "founded", "established")),
    ("status", ("สถานะ", "status")),
    ("savings_members", ("เงินออม", "สัจจะ", "สมทบจากสมาชิก", "เงินสมาชิก", "savings")),
    ("matching_local", ("อปท", "ท้องถิ่น", "อบต", "เทศบาล", "local")),
    ("matching_codi", ("พอช", "รัฐบาล", "codi", "government")),
    ("matching_other", ("แหล่งอื่น", "อื่นๆ", "อื่น", "other")),
    ("members_now", ("สมาชิก", "members")),
    ("fund_name", ("ชื่อกองทุน", "กองทุน", "ชื่อ", "ตำบล", "fund", "name")),
)


def field_label(name):
    labels = {
        "tambon_code": _("tambon code"),
        "fund_name": _("fund name"),
        "district": _("district"),
    }
    if name in labels:
        return labels[name]
    return str(FundRecord._meta.get_field(name).verbose_name)


def target_choices():
    return [("", _("(not used)"))] + [(name, field_label(name)) for name in TARGETS]


def guess_mapping(headers):
    """{header: target or ""}: each target given to the first header that suggests it."""
    mapping, taken = {}, set()
    for header in headers:
        key = "".join(str(header).split()).lower()
        mapping[header] = ""
        for target, words in HEADER_HINTS:
            if target not in taken and any(word in key for word in words):
                mapping[header] = target
                taken.add(target)
                break
    return mapping


def parse_mapping_option(text, headers):
    """`--mapping "คอลัมน์=field,…"` of the command, laid over the guess."""
    mapping = guess_mapping(headers)
    for part in filter(None, (piece.strip() for piece in (text or "").split(","))):
        header, _sep, target = part.rpartition("=")
        if header not in mapping:
            raise ValidationError(_("The file has no column “%(column)s”.") % {"column": header})
        for other, value in mapping.items():
            if value == target and other != header:
                mapping[other] = ""
        mapping[header] = target.strip()
    return mapping


def validate_mapping(mapping):
    targets = [target for target in mapping.values() if target]
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        raise ValidationError(_("Unknown field: %(fields)s.") % {"fields": ", ".join(unknown)})
    twice = sorted({target for target in targets if targets.count(target) > 1})
    if twice:
        raise ValidationError(
            _("Each field can come from one column only: %(fields)s.")
            % {"fields": ", ".join(field_label(name) for name in twice)}
        )
    if "tambon_code" not in targets and "fund_name" not in targets:
        raise ValidationError(_("Choose the column with the tambon code or the fund's name: without one, no row can be matched to a fund."))


# --- Reading the rows --------------------------------------------------------------------------


def to_text(name, value):
    """A value of a compared field as the text kept in SourceRow.values and Resolution.value."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    return str(value)


def from_text(name, text):
    """The Python value of a compared field for the fund record."""
    if text is None:
        return None
    if name == "status":
        return text
    if name in YEAR_FIELDS or name in COUNT_FIELDS:
        return int(text)
    return Decimal(text)


def read_value(name, cell):
    """(text or None, note) of one cell of a compared field; raises CellError."""
    if name == "status":
        return to_text(name, read_status(cell)), ""
    if name in YEAR_FIELDS:
        year, note = read_year(cell)
        return to_text(name, year), note
    if name in COUNT_FIELDS:
        return to_text(name, read_count(cell)), ""
    return to_text(name, read_money(cell)), ""


def display_value(name, text):
    if text is None or text == "":
        return "—"
    if name == "status":
        try:
            return str(FundStatus(text).label)
        except ValueError:
            return text
    if name in YEAR_FIELDS:
        return text
    if name in COUNT_FIELDS:
        return f"{int(text):,}"
    return f"{Decimal(text):,.2f}"


def _json_cell(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass
class ParsedRow:
    number: int
    raw: dict
    identity: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    match: object = None
    district_code: str = ""

    @property
    def refused(self):
        return bool(self.errors)


@dataclass
class Preview:
    table: object
    mapping: dict
    rows: list
    province_code: str
    source: str

    @property
    def accepted(self):
        return [row for row in self.rows if not row.refused]

    @property
    def refused(self):
        return [row for row in self.rows if row.refused]

    def count(self, status):
        return sum(1 for row in self.accepted if row.match.status == status)


def build_preview(table, mapping, province_code, source, index=None):
    """Read and match every row of `table` under `mapping`; nothing is saved. A row with a cell that
    cannot be read is refused whole, each reason given; a second row naming a fund already matched in
    the file waits for a person."""
    validate_mapping(mapping)
    index = index or FundIndex.for_province(province_code)
    columns = {target: position for position, header in enumerate(table.headers)
               for target in [mapping.get(header)] if target}
    rows, matched = [], {}
    for number, cells in table.rows:
        row = ParsedRow(number, {header: _json_cell(cell) for header, cell in zip(table.headers, cells, strict=True)})
        for name in IDENTITY_FIELDS:
            cell = cells[columns[name]] if name in columns else None
            row.identity[name] = "" if cell is None else str(cell).strip()
        for name in RECONCILED_FIELDS:
            if name not in columns:
                continue
            try:
                text, note = read_value(name, cells[columns[name]])
            except CellError as error:
                row.errors.append(f"{table.headers[columns[name]]}: {error}")
                continue
            if text is not None:
                row.values[name] = text
            if note:
                row.notes.append(note)
        if not row.identity.get("tambon_code") and not row.identity.get("fund_name"):
            row.errors.append(_("neither a tambon code nor a fund name"))
        if not row.refused:
            row.match = match_row(index, row.identity.get("tambon_code", ""), row.identity.get("fund_name", ""),
                                  row.identity.get("district", ""))
            if row.match.status == RowStatus.MATCHED:
                first = matched.get(row.match.network_id)
                if first is not None:
                    row.match.status = RowStatus.AMBIGUOUS
                    row.match.note = "duplicate"
                    row.notes.append(_("the same fund as row %(row)s") % {"row": first})
                    row.match.candidates = [{"id": row.match.network_id, "title": index.title(row.match.network_id),
                                             "code": index.funds[row.match.network_id][1], "score": row.match.score}]
                    row.match.network_id = None
                else:
                    matched[row.match.network_id] = number
            if row.match.network_id:
                row.district_code = index.funds[row.match.network_id][1][:4]
            elif row.identity.get("district"):
                row.district_code = index.district_code(row.identity["district"])
        rows.append(row)
    return Preview(table, mapping, rows, province_code, source)


def preview_upload(upload, mapping=None):
    upload.file.open("rb")
    try:
        data = upload.file.read()
    finally:
        upload.file.close()
    table = read_table(data, upload.original_name)
    mapping = mapping if mapping is not None else (upload.column_mapping or guess_mapping(table.headers))
    return build_preview(table, mapping, upload.province_code, upload.source)


def store_upload(data, filename, *, source, province_code, user):
    """Keep an uploaded file until its mapping is confirmed; raises TableError (nothing saved) when it
    is not a table."""
    table = read_table(data, filename)
    # Uploads left unconfirmed for a day are dropped, files and all, when their owner uploads again.
    for stale in PendingUpload.objects.filter(uploaded_by=user, uploaded_at__lt=timezone.now() - PENDING_KEPT):
        stale.file.delete(save=False)
        stale.delete()
    upload = PendingUpload(source=source, province_code=province_code, original_name=filename[:255],
                           uploaded_by=user, column_mapping=guess_mapping(table.headers))
    upload.file.save(filename[-100:] or "upload", ContentFile(data), save=False)
    upload.save()
    return upload, table


# --- Saving an import --------------------------------------------------------------------------


def save_import(data, filename, preview, *, user):
    """Write the import of `preview` (rows accepted; refused rows listed with their reasons), the file
    kept as uploaded, superseding the current import of the same source and province."""
    with transaction.atomic():
        previous = (
            SourceImport.objects.select_for_update(of=("self",))
            .current(preview.province_code).filter(source=preview.source).first()
        )
        source_import = SourceImport(
            source=preview.source,
            province_code=preview.province_code,
            original_name=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            file_format=preview.table.file_format,
            encoding=preview.table.encoding,
            column_mapping=preview.mapping,
            headers=preview.table.headers,
            refused_rows=[{"row": row.number, "reasons": row.errors, "raw": row.raw} for row in preview.refused],
            imported_by=user,
            previous=previous,
        )
        source_import.file.save(filename[-100:] or "import", ContentFile(data), save=False)
        source_import.save()
        SourceRow.objects.bulk_create([
            SourceRow(
                source_import=source_import,
                row_number=row.number,
                raw=row.raw,
                tambon_code=(row.identity.get("tambon_code") or "")[:6],
                fund_name=(row.identity.get("fund_name") or "")[:255],
                district_name=(row.identity.get("district") or "")[:255],
                district_code=row.district_code,
                values=row.values,
                notes=row.notes + ([row.match.note] if row.match.note else []),
                status=row.match.status,
                network_id=row.match.network_id,
                match_method=row.match.method if row.match.status == RowStatus.MATCHED else "",
                score=row.match.score,
                candidates=row.match.candidates,
            )
            for row in preview.accepted
        ])
    return source_import


def confirm_upload(upload, mapping, *, user):
    """Turn a pending upload into an import under `mapping`; the pending upload is deleted."""
    upload.file.open("rb")
    try:
        data = upload.file.read()
    finally:
        upload.file.close()
    preview = build_preview(read_table(data, upload.original_name), mapping, upload.province_code, upload.source)
    with transaction.atomic():
        source_import = save_import(data, upload.original_name, preview, user=user)
        storage, name = upload.file.storage, upload.file.name
        upload.delete()
        transaction.on_commit(lambda: storage.delete(name))
    return source_import


# --- What changed since the last import --------------------------------------------------------


@dataclass
class ImportDiff:
    added: list = field(default_factory=list)  # [(network id, title)]
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # [(network id, title, [(field, old, new)])]
    unmatched_before: int = 0
    unmatched_now: int = 0

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)

    @property
    def changed_display(self):
        """The changes with field labels and values as people read them."""
        return [
            (network_id, title, [(field_label(name), display_value(name, old), display_value(name, new))
                                 for name, old, new in changes])
            for network_id, title, changes in self.changed
        ]


def _matched_values(source_import):
    if source_import is None:
        return {}, 0
    rows = source_import.rows.all()
    matched = {
        network_id: (title, values)
        for network_id, title, values in rows.filter(status=RowStatus.MATCHED)
        .values_list("network_id", "network__title", "values")
    }
    return matched, rows.exclude(status=RowStatus.MATCHED).count()


def diff_values(old, new, unmatched_before=0, unmatched_now=0):
    """old/new: {network id: (title, {field: text})}."""
    diff = ImportDiff(unmatched_before=unmatched_before, unmatched_now=unmatched_now)
    for network_id in sorted(new.keys() - old.keys(), key=lambda pk: new[pk][0]):
        diff.added.append((network_id, new[network_id][0]))
    for network_id in sorted(old.keys() - new.keys(), key=lambda pk: old[pk][0]):
        diff.removed.append((network_id, old[network_id][0]))
    for network_id in sorted(old.keys() & new.keys(), key=lambda pk: new[pk][0]):
        before, after = old[network_id][1], new[network_id][1]
        changes = [(name, before.get(name), after.get(name)) for name in RECONCILED_FIELDS
                   if before.get(name) != after.get(name)]
        if changes:
            diff.changed.append((network_id, new[network_id][0], changes))
    return diff


def diff_import(source_import):
    """What `source_import` changed against the import it superseded (None for a first import)."""
    if source_import.previous_id is None:
        return None
    old, old_unmatched = _matched_values(source_import.previous)
    new, new_unmatched = _matched_values(source_import)
    return diff_values(old, new, old_unmatched, new_unmatched)


def diff_preview(preview):
    """What confirming `preview` would change against the current import of its source (None if none)."""
    current = SourceImport.objects.current(preview.province_code).filter(source=preview.source).first()
    if current is None:
        return None
    old, old_unmatched = _matched_values(current)
    index_titles = dict(NetworkPage.objects.filter(
        pk__in=[row.match.network_id for row in preview.accepted if row.match.network_id]
    ).values_list("pk", "title"))
    new = {row.match.network_id: (index_titles[row.match.network_id], row.values)
           for row in preview.accepted if row.match.status == RowStatus.MATCHED}
    unmatched = sum(1 for row in preview.accepted if row.match.status != RowStatus.MATCHED)
    return diff_values(old, new, old_unmatched, unmatched)


# --- Choosing the fund of an ambiguous row -----------------------------------------------------


def choose_fund(row, network, *, user):
    """A person says which fund `row` is about (or, with network None, that it is none of them)."""
    with transaction.atomic():
        row = SourceRow.objects.select_for_update().select_related("source_import").get(pk=row.pk)
        if network is None:
            row.status, row.network, row.match_method = RowStatus.UNMATCHED, None, ""
        else:
            is_fund = fund_networks().filter(pk=network.pk, province_code=row.source_import.province_code).exists()
            if not is_fund:
                raise ValidationError(_("Choose a fund of this province."))
            taken = (SourceRow.objects.filter(source_import=row.source_import_id, network=network,
                                              status=RowStatus.MATCHED).exclude(pk=row.pk)
                     .values_list("row_number", flat=True).first())
            if taken is not None:
                raise ValidationError(
                    _("Row %(row)s of this file is already matched to %(fund)s.") % {"row": taken, "fund": network.title}
                )
            row.status, row.network, row.match_method = RowStatus.MATCHED, network, MatchMethod.PERSON
            row.district_code = network.area_code[:4]
        row.chosen_by, row.chosen_at = user, timezone.now()
        row.save()
    return row


# --- Comparing the sources ---------------------------------------------------------------------


@dataclass
class FieldState:
    name: str
    by_source: dict  # source -> text or None
    record_value: object
    resolution: object = None
    state: str = "agree"  # agree / disagree / resolved / empty

    @property
    def label(self):
        return field_label(self.name)

    @property
    def is_open(self):
        return self.state == "disagree"


@dataclass
class FundComparison:
    network_id: int
    title: str
    area_code: str
    present: dict  # source -> SourceRow or None (source imported) ; sources not imported are absent
    fields: list = field(default_factory=list)

    @property
    def district_code(self):
        return self.area_code[:4]

    @property
    def mentioned(self):
        return any(self.present.values())

    @property
    def missing_in(self):
        if not self.mentioned:
            return []
        return [source for source, row in self.present.items() if row is None]

    @property
    def open_fields(self):
        return [state for state in self.fields if state.is_open]

    @property
    def state(self):
        if not self.mentioned:
            return "absent"
        return "disagree" if self.open_fields else "agree"


def field_state(name, present, imports, record_value, resolution):
    by_source = {source: (row.values.get(name) if row else None) for source, row in present.items()}
    given = {source: value for source, value in by_source.items() if value is not None}
    state = FieldState(name, by_source, record_value, resolution)
    if not given:
        state.state = "empty"
    elif len(set(given.values())) == 1:
        state.state = "agree"
    elif resolution is not None and all(
        imports[source].imported_at <= resolution.resolved_at
        for source, value in given.items() if value != resolution.value
    ):
        state.state = "resolved"
    else:
        state.state = "disagree"
    return state


def compare_funds(province_code, networks=None, *, with_rows=False):
    """[FundComparison] of the funds of the province (or of `networks`, a queryset of its funds), in a
    fixed number of queries."""
    imports = {imp.source: imp for imp in SourceImport.objects.current(province_code)}
    if networks is None:
        networks = fund_networks().filter(province_code=province_code)
    funds = list(networks.order_by("area_code", "path").values_list("pk", "title", "area_code"))
    ids = [pk for pk, _title, _code in funds]
    rows = SourceRow.objects.filter(source_import__in=imports.values(), status=RowStatus.MATCHED)
    if len(ids) < 500:
        rows = rows.filter(network_id__in=ids)
    if not with_rows:
        rows = rows.only("id", "network_id", "values", "source_import_id")
    by_network = defaultdict(dict)
    import_source = {imp.pk: source for source, imp in imports.items()}
    for row in rows:
        by_network[row.network_id][import_source[row.source_import_id]] = row
    records = {record.network_id: record for record in FundRecord.objects.filter(network_id__in=ids)} if ids else {}
    latest = {}
    for resolution in Resolution.objects.filter(network_id__in=ids).select_related("resolved_by").order_by("resolved_at", "pk"):
        latest[(resolution.network_id, resolution.field_name)] = resolution
    comparisons = []
    for pk, title, area_code in funds:
        present = {source: by_network[pk].get(source) for source in SOURCES if source in imports}
        comparison = FundComparison(pk, title, area_code, present)
        record = records.get(pk)
        for name in RECONCILED_FIELDS:
            comparison.fields.append(field_state(
                name, present, imports, to_text(name, getattr(record, name, None)) if record else None,
                latest.get((pk, name)),
            ))
        comparisons.append(comparison)
    return comparisons


def unmatched_rows(province_code):
    return SourceRow.objects.filter(
        source_import__in=SourceImport.objects.current(province_code)
    ).exclude(status=RowStatus.MATCHED)


def counts(province_code, comparisons=None):
    """The figures of `reconcile_funds --json`."""
    comparisons = compare_funds(province_code) if comparisons is None else comparisons
    imported = set(SourceImport.objects.current(province_code).values_list("source", flat=True))
    missing = {source: 0 for source in SOURCES}
    for comparison in comparisons:
        for source in comparison.missing_in:
            missing[source] += 1
    return {
        "funds": len(comparisons),
        "agree": sum(1 for c in comparisons if c.state == "agree"),
        "disagree": sum(1 for c in comparisons if c.state == "disagree"),
        "missing_in": {source: missing[source] if source in imported else 0 for source in SOURCES},
        "unmatched_rows": unmatched_rows(province_code).count(),
    }


@dataclass
class DistrictProgress:
    code: str
    title: str
    funds: int = 0
    agree: int = 0
    disagree: int = 0
    absent: int = 0
    missing: dict = field(default_factory=lambda: {source: 0 for source in SOURCES})
    unmatched_rows: int = 0


def district_progress(province_code, comparisons, district_codes=None):
    """[DistrictProgress] of the province's districts (or of `district_codes`)."""
    districts = NetworkPage.objects.filter(province_code=province_code, level="district")
    if district_codes is not None:
        districts = districts.filter(area_code__in=district_codes)
    progress = {code: DistrictProgress(code, title) for code, title in districts.order_by("area_code")
                .values_list("area_code", "title")}
    for comparison in comparisons:
        entry = progress.get(comparison.district_code)
        if entry is None:
            continue
        entry.funds += 1
        setattr(entry, comparison.state, getattr(entry, comparison.state) + 1)
        for source in comparison.missing_in:
            entry.missing[source] += 1
    unmatched = defaultdict(int)
    for code in unmatched_rows(province_code).values_list("district_code", flat=True):
        unmatched[code] += 1
    for code, entry in progress.items():
        entry.unmatched_rows = unmatched.get(code, 0)
    return list(progress.values())


# --- Resolving ---------------------------------------------------------------------------------


def resolve(network, name, *, user, reason, source=None, value=None):
    """Settle field `name` of the fund `network`: the value of `source`'s current import, or `value`
    typed by a person. Records a Resolution and sets the fund record (its history says where the value
    came from). Raises ValidationError and saves nothing when the value or the reason is refused."""
    if name not in RECONCILED_FIELDS:
        raise ValidationError(_("This field is not compared across the sources."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for this value."))
    source_import = None
    if source:
        if source not in SOURCES:
            raise ValidationError(_("Unknown source."))
        source_import = SourceImport.objects.current(network.province_code).filter(source=source).first()
        row = source_import and source_import.rows.filter(network=network, status=RowStatus.MATCHED).first()
        text = row.values.get(name) if row else None
        if text is None:
            raise ValidationError(_("This source gives no value for this field."))
        origin = _("reconciliation: %(source)s, file %(file)s") % {
            "source": Source(source).label, "file": source_import.original_name}
    else:
        try:
            text, _note = read_value(name, value)
        except CellError as error:
            raise ValidationError(str(error)) from None
        if text is None:
            raise ValidationError(_("Enter the correct value."))
        origin = _("reconciliation: entered by hand")
    with transaction.atomic():
        resolution = Resolution.objects.create(
            network=network, field_name=name, value=text, chosen_source=source or Resolution.MANUAL,
            source_import=source_import, reason=reason, resolved_by=user,
        )
        set_fund_values(network, {name: from_text(name, text)}, user=user, reason=reason, origin=origin)
    return resolution


AGREED_ORIGIN = "reconciliation: all sources agree"


def apply_agreed(province_code, *, user, networks=None):
    """Write to the fund records every field the sources agree on (or that was settled) where the record
    says otherwise: one reconciled list. Each fund in its own savepoint; a fund whose record refuses a
    value (funds.models validation) is left as it was and reported. Returns (funds updated,
    {fund title: messages})."""
    updated, refused = 0, {}
    for comparison in compare_funds(province_code, networks):
        values = {}
        for state in comparison.fields:
            if state.state == "agree":
                agreed = next(value for value in state.by_source.values() if value is not None)
            elif state.state == "resolved":
                agreed = state.resolution.value
            else:
                continue
            if agreed != state.record_value:
                values[state.name] = from_text(state.name, agreed)
        if not values:
            continue
        network = NetworkPage.objects.get(pk=comparison.network_id)
        try:
            with transaction.atomic():
                set_fund_values(network, values, user=user, reason=_("the sources agree"), origin=AGREED_ORIGIN)
        except ValidationError as error:
            refused[comparison.title] = error.messages
        else:
            updated += 1
    return updated, refused
