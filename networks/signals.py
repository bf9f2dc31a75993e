"""Signals of the page tree that Wagtail's own signals do not cover."""

from django.dispatch import Signal

# Sent after a bulk loader (the national tree, the scale corpus) wrote pages, or registry entries,
# without saving them one by one: no page_published or post_save was sent for them. Receivers that
# keep something derived from the pages (the public page cache) refresh it whole. No arguments.
pages_loaded_in_bulk = Signal()
