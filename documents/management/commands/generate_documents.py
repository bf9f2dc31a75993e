from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from documents import api
from documents.models import DocumentKind
from documents.sources import source_for


class Command(BaseCommand):
    help = (
        "Queue the official PDFs of every source of one kind (after a template change, or to fill in "
        "PDFs for records made before this existed). Unchanged sources are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=DocumentKind.values)

    def handle(self, *args, kind, **options):
        try:
            source = source_for(kind)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        queued = 0
        for obj in source.queryset().iterator(chunk_size=200):
            with transaction.atomic():
                if api.request_document(kind, obj) is not None:
                    queued += 1
        self.stdout.write(f"{queued} {DocumentKind(kind).label} PDF(s) queued")
