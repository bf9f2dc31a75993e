"""One search entry per public-search page (network, charter, action plan, minutes).

The text itself is stored by database: on PostgreSQL a `searchable tsvector` column with a GIN
index (title weight A, body B, area names D, plus word pairs) and a small `title_vector` for
ranking, on SQLite an FTS5 table `thaisearch_searchentry_fts`
(columns title, body, areas; rowid = page id). Neither is a Django field: both are created by
migration 0002 for their vendor and read and written by thaisearch.entries in SQL. The columns
below are what the public search filters on, so that one query over this table answers it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class SearchEntry(models.Model):
    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # No index: every search reads the text's GIN index first; PostgreSQL preferred this one.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    # A network's own province code, or its network's for a document; "" above province level.
    province_code = models.CharField(max_length=2, blank=True)
    # The page's `live` when indexed; set to False at once when a page is unpublished.
    live = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"search entry of page {self.page_id}"
