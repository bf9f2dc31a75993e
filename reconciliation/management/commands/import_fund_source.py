"""Import a source file of a province without the browser: the same reading, mapping and matching as
the admin's preview. Rows that cannot be read are refused and listed with their reasons; a file that
is not a valid table saves nothing and exits with an error."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.geography import is_province_code

from ... import services
from ...models import SOURCES, RowStatus
from ...reading import TableError, read_table


class Command(BaseCommand):
    help = "Import a fund source file (XLSX or CSV) of one province: program, matching or survey."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, choices=SOURCES)
        parser.add_argument("--province", required=True, help="Province code, e.g. 57")
        parser.add_argument("--mapping", default="", help='Columns to fields over the guess: "column=field,…"')
        parser.add_argument("--user", default="", help="Username recorded as the importer")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview and save nothing")

    def handle(self, *args, **options):
        if not is_province_code(options["province"]):
            raise CommandError(f"Unknown province code: {options['province']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No such user: {options['user']}")
        data = path.read_bytes()
        try:
            table = read_table(data, path.name)
            mapping = services.parse_mapping_option(options["mapping"], table.headers)
            preview = services.build_preview(table, mapping, options["province"], options["source"])
        except (TableError, ValidationError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CommandError(f"{path.name}: {message} Nothing was saved.") from None
        self.stdout.write(f"{path.name}: {table.file_format.upper()}, {table.encoding_label}, {len(table.rows)} rows")
        for header, target in mapping.items():
            self.stdout.write(f"  {header} -> {target or '-'}")
        for row in preview.refused:
            self.stdout.write(self.style.WARNING(f"  row {row.number} refused: {'; '.join(row.errors)}"))
        for row in preview.accepted:
            if row.notes:
                self.stdout.write(f"  row {row.number}: {'; '.join(row.notes)}")
        self.stdout.write(
            f"read {len(preview.accepted)}, refused {len(preview.refused)}; matched {preview.count(RowStatus.MATCHED)}, "
            f"ambiguous {preview.count(RowStatus.AMBIGUOUS)}, unmatched {preview.count(RowStatus.UNMATCHED)}"
        )
        diff = services.diff_preview(preview)
        if diff is not None:
            self.stdout.write(f"since the current import: {len(diff.added)} funds added, {len(diff.removed)} removed, "
                              f"{len(diff.changed)} changed")
            for _pk, title, changes in diff.changed_display:
                for label, old, new in changes:
                    self.stdout.write(f"  {title}: {label} {old} -> {new}")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing saved")
            return
        source_import = services.save_import(data, path.name, preview, user=user)
        self.stdout.write(self.style.SUCCESS(f"imported as #{source_import.pk}"))
