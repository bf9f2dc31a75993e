"""Rebuild the workflows in the database from workflows/road.py (workflows.building.build_roads).
Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand

from workflows.building import build_roads, road_problems


class Command(BaseCommand):
    help = "Builds the approval workflows from workflows/road.py; run again, it changes nothing."
    # The system check reports a bent road; this command is what mends it, so it must run anyway.
    requires_system_checks = []

    def handle(self, *args, **options):
        for change in build_roads():
            self.stdout.write(change)
        problems = road_problems()
        for key, message in problems:
            self.stderr.write(f"{key}: {message}")
        self.stdout.write("roads built" if not problems else "roads still bent")
