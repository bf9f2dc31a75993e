from django.core.management.base import BaseCommand, CommandError

from networks.tree import TreeLoader, load_region_table


class Command(BaseCommand):
    help = "Load the network tree of Thailand (national, regions, provinces, districts, tambons). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", action="append", dest="provinces", metavar="CODE",
            help="Load only this province (two-digit code, e.g. 57 for Chiang Rai). May be repeated.",
        )

    def handle(self, *args, provinces=None, **options):
        if provinces:
            _data, province_region = load_region_table()
            unknown = [code for code in provinces if code not in province_region]
            if unknown:
                raise CommandError(f"Unknown province code(s): {', '.join(unknown)}")
        result = TreeLoader().load(provinces)
        if result.total_created:
            summary = ", ".join(f"{count} {level}" for level, count in result.created.items())
            self.stdout.write(self.style.SUCCESS(f"Created {summary}."))
        else:
            self.stdout.write("The network tree is already complete; nothing changed.")
