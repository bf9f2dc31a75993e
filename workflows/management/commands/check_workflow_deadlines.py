from django.core.management.base import BaseCommand

from workflows.deadlines import check_deadlines


class Command(BaseCommand):
    help = "Move applications on whose local government step passed its 30-day deadline."

    def handle(self, *args, **options):
        moved = check_deadlines()
        self.stdout.write(f"{moved} application(s) moved on.")
