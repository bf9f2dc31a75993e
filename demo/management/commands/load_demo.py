from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import content as demo_content
from demo.duties import load_duties_demo
from demo.loader import DemoLoader
from demo.people import assign_demo_roles
from demo.road import DemoRoad
from workflows.building import build_roads


class Command(BaseCommand):
    help = (
        "Load the demo: the Chiang Rai network with its draft charter, minutes of 14 May 2562 and action "
        "plan; the Samut Prakan network with 25 tambon funds; demo users for every role. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load even when DEBUG is off. The demo users share a published password: never on a real site.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real site, and the demo users share a published password. "
                "Use --force to load the demo anyway."
            )
        data = DemoLoader(stdout=self.stdout).load()
        self.assign_roles(data)
        # The roads' workflows as workflows/road.py defines them (a bent road is mended, else nothing changes).
        data.changes.extend(build_roads())
        # With the roles in place, the documents travel their approval roads (demo.road).
        data.changes.extend(DemoRoad(data).run())
        # Two of Samut Prakan's funds, registered earlier, with half-year reports due (demo.duties).
        data.changes.extend(load_duties_demo(data.users, data.networks["samut_prakan_funds"]))
        if data.changes:
            self.stdout.write(self.style.SUCCESS("Demo loaded: " + "; ".join(data.changes) + "."))
        else:
            self.stdout.write("The demo is already loaded; nothing changed.")
        self.stdout.write(f"Demo users (password “{demo_content.DEMO_PASSWORD}”):")
        for username, _first, _last, description in demo_content.DEMO_USERS.values():
            self.stdout.write(f"  {username:14} {description}")

    def assign_roles(self, data):
        """Give the demo users their roles.

        The role records (committee memberships, local office and officer assignments, registrar and
        support staff) belong to the `people` app, which fills this function with a call to
        `demo.people.assign_demo_roles(...)`. `data.users` maps the keys of
        `demo.content.DEMO_USERS` (cr_member, cr_secretary, cr_chair, sp_chair, local_office, lo_57,
        lo_11, officer_57, officer_11, registrar, codi_staff, admin) to users; `data.networks` holds
        "chiang_rai", "samut_prakan" and "local_office_tambon" (NetworkPage). It must be idempotent
        like the rest of the demo.
        """
        data.changes.extend(assign_demo_roles(data.users, data.networks))
