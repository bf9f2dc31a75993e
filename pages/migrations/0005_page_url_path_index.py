"""An index on Wagtail's page.url_path: HomePage.route finds a page and every page above it by their
url_path in one query. Wagtail's own table has no such index, and the slug alone is no help at national
size (tens of thousands of documents share the slug "charter")."""

from django.db import migrations

INDEX = "pages_wagtailcore_page_url_path_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_network_quorum_percent"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (url_path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
