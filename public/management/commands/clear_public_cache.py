from django.core.management.base import BaseCommand

from public.cache import invalidate_everything


class Command(BaseCommand):
    help = (
        "Invalidate every stored public page (public/cache.py). Changes made through the admin and the "
        "registry do this themselves; bulk loads that send no signals (load_network_tree) need it."
    )

    def handle(self, *args, **options):
        invalidate_everything()
        self.stdout.write("Public page cache invalidated.")
