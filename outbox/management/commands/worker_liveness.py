from django.core.management.base import BaseCommand, CommandError

from outbox.liveness import probe


class Command(BaseCommand):
    help = (
        "Liveness probe for the Celery workers: exit 0 when a worker runs a real task within --timeout "
        "seconds, 1 otherwise (for systemd or Kubernetes to restart the worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the answer")
        parser.add_argument(
            "--worker", default=None,
            help="the worker's node name (celery@HOST): ask that worker through its own queue; "
            "without it any worker may answer",
        )

    def handle(self, *args, timeout, worker, **options):
        if timeout <= 0:
            raise CommandError("--timeout must be positive")
        result = probe(timeout=timeout, worker=worker)
        if not result.alive:
            raise CommandError(f"worker not live: {result.error}", returncode=1)
        self.stdout.write(f"ok: {result.answered_by or 'a worker'} answered in {result.seconds:.2f} s")
