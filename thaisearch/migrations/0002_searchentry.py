"""The public search's own index (thaisearch.entries): the SearchEntry table, and its text by
database: a tsvector column with a GIN index on PostgreSQL, an FTS5 table with the Thai tokenizer
on SQLite. Existing pages are added by `manage.py update_index`."""

import django.db.models.deletion
from django.db import migrations, models

from thaisearch.sqlite_fts import THAI_TOKENIZER

TABLE = "thaisearch_searchentry"


def create_text_storage(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN searchable tsvector NOT NULL DEFAULT ''")
            cursor.execute(f"CREATE INDEX {TABLE}_searchable ON {TABLE} USING gin (searchable)")
        elif connection.vendor == "sqlite":
            cursor.execute(
                f'CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(title, body, areas, tokenize = "{THAI_TOKENIZER}")'
            )


def drop_text_storage(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN searchable")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE {TABLE}_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("thaisearch", "0001_thai_fts_tokenizer"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                ("province_code", models.CharField(blank=True, max_length=2)),
                ("live", models.BooleanField(default=False)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={"verbose_name": "search entry", "verbose_name_plural": "search entries"},
        ),
        migrations.RunPython(create_text_storage, drop_text_storage),
    ]
