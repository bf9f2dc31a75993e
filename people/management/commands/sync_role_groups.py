from django.core.management.base import BaseCommand

from people.groups import sync_all_role_groups


class Command(BaseCommand):
    help = (
        "Rebuild the Wagtail groups that carry each role's permissions from the role records "
        "(committee memberships, local offices, provincial officers, registrars, support staff). Idempotent."
    )

    def handle(self, *args, **options):
        report = sync_all_role_groups()
        shared = ", ".join(f"{key}: {count}" for key, count in report.shared.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Committee groups with members: {report.committee_groups} ({report.committee_groups_created} "
                f"created, {report.committee_users} members); group memberships added "
                f"{report.memberships_added}, removed {report.memberships_removed}; permissions fixed "
                f"{report.permissions_fixed}; shared groups: {shared}."
            )
        )
