"""The reconciliation's counts for one province, for scripts and monitoring (definitions in
reconciliation/services.py and the README)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.geography import is_province_code

from ... import services


class Command(BaseCommand):
    help = "Print how far the three fund sources of a province agree."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Province code, e.g. 57")
        parser.add_argument("--json", action="store_true", help="Print the counts as one JSON object")

    def handle(self, *args, **options):
        code = options["province"]
        if not is_province_code(code):
            raise CommandError(f"Unknown province code: {code}")
        counts = services.counts(code)
        if options["json"]:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(
            f"province {code}: {counts['funds']} funds, {counts['agree']} agree, {counts['disagree']} disagree; "
            f"missing in program {counts['missing_in']['program']}, matching {counts['missing_in']['matching']}, "
            f"survey {counts['missing_in']['survey']}; {counts['unmatched_rows']} rows without a fund"
        )
