"""PostgreSQL: a small tsvector of the title alone (ranking reads it instead of the whole text),
and no index on the content type (the planner preferred it to the text's GIN index). Pages
indexed before need `manage.py update_index` once to fill `title_vector` and the word pairs."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "thaisearch_searchentry"


def add_title_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''")


def drop_title_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN title_vector")


class Migration(migrations.Migration):
    dependencies = [("contenttypes", "0002_remove_content_type_name"), ("thaisearch", "0002_searchentry")]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="content_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(add_title_vector, drop_title_vector),
    ]
