"""The workflows rebuilt from workflows/road.py (workflows.building.build_roads): steps named in the
site's language without English in brackets, in the road's order, active, bound to their document type
only; Wagtail's default workflow renamed for what it does (or deleted when unused)."""

from django.db import migrations


def build(apps, schema_editor):
    from workflows.building import build_roads  # the builder runs on this migration's historical models

    build_roads(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_create_workflows"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
