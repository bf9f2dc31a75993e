"""On SQLite, rebuild Wagtail's FTS5 table so that Thai vowel and tone marks are part of words
(see thaisearch/sqlite_fts.py). Nothing happens on PostgreSQL."""

from django.db import migrations

from thaisearch.sqlite_fts import DEFAULT_TOKENIZER, THAI_TOKENIZER, rebuild_fts_table


def _entries_table(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def thai_tokenizer(apps, schema_editor):
    rebuild_fts_table(schema_editor.connection, _entries_table(apps), THAI_TOKENIZER)


def default_tokenizer(apps, schema_editor):
    rebuild_fts_table(schema_editor.connection, _entries_table(apps), DEFAULT_TOKENIZER)


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(thai_tokenizer, default_tokenizer)]
