from django.core.management.base import BaseCommand

from outbox.relay import relay_pending


class Command(BaseCommand):
    help = "Hand the outbox messages that are due to Celery (what beat does every 30 seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        relayed = relay_pending(limit=limit)
        self.stdout.write(f"{relayed} message(s) handed to the workers")
