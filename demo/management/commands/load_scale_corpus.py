import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.scale_corpus import CorpusLoader


def positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number of documents.") % {"value": value}
        ) from None
    if number <= 0:
        raise argparse.ArgumentTypeError(_("The number must be 1 or more (got %(value)s).") % {"value": number})
    return number


class Command(BaseCommand):
    help = (
        "Load a national-size corpus for measuring: N live documents (charters, meeting minutes, action plans) "
        "with generated Thai text, spread over the province, district and tambon networks of the whole country "
        "(the tree is loaded first if missing); a share of the charters is registered. Pages are written in "
        "bulk, then the search index is built once and PostgreSQL's statistics refreshed. Not idempotent: "
        "a second run ADDS N more documents (other networks and words; titles, slugs, meeting numbers, plan "
        "years and registration numbers continue from what exists). Refuses to run when DEBUG is off "
        "unless given --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=positive_int, required=True, metavar="N",
                            help="How many documents to add (1 or more).")
        parser.add_argument("--seed", type=int, default=1,
                            help="Seed of the random choices (default 1): the same seed on the same database "
                                 "gives the same corpus.")
        parser.add_argument("--batch-size", type=positive_int, default=2000, metavar="N",
                            help="Documents written per transaction (default 2000).")
        parser.add_argument("--no-index", action="store_true",
                            help="Leave the new pages out of the search index (`manage.py update_index` adds "
                                 "them later).")
        parser.add_argument("--force", action="store_true",
                            help="Load even when DEBUG is off. Generated documents are public: never on a "
                                 "real site.")

    def handle(self, *args, documents, seed, batch_size, no_index, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_(
                "DEBUG is off: this looks like a real site, and the generated documents would be public. "
                "Use --force to load the corpus anyway."
            ))
        loader = CorpusLoader(seed=seed, batch_size=batch_size, search_index=not no_index,
                              progress=options["verbosity"] > 0)
        result = loader.load(documents)
        created = ", ".join(f"{count} {kind}" for kind, count in sorted(result.created.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Added {result.total_created} documents ({created}); {result.registered} charters registered"
            + (f"; {result.networks_created} networks loaded first" if result.networks_created else "") + "."
        ))
        for phase, seconds in result.seconds.items():
            self.stdout.write(f"  {phase:14} {seconds:8.2f} s")
