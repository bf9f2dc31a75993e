"""HomePage and NetworkPage move here from `pages`, without touching their rows.

The tables keep their names (`db_table`), so the database changes in one place only: the two content
types are relabelled from `pages` to `networks`, keeping their ids, which every page row, permission
and workflow binding points at. Django's state moves with the SeparateDatabaseAndState below, and
people, registry and pages (migrations 0004, 0004 and 0006) repoint their foreign keys in the state.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType as LiveContentType
from django.db import migrations, models

MOVED = ("homepage", "networkpage")


def relabel_content_types(apps, schema_editor, old="pages", new="networks"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    alias = schema_editor.connection.alias
    types = ContentType.objects.using(alias)
    for model in MOVED:
        moving = types.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        # After a partial migration back, Django's post_migrate may have made an empty content type
        # under the other label: no page uses it, so it (and its permissions) gives way.
        empty = types.filter(app_label=new, model=model).first()
        if empty is not None:
            if Page.objects.using(alias).filter(content_type=empty).exists():
                raise RuntimeError(f"Pages use both {old}.{model} and {new}.{model}: merge them by hand.")
            empty.delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    # The real manager caches content types by id and label for the process (tests migrate, then run).
    LiveContentType.objects.clear_cache()


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="networks", new="pages")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("pages", "0005_page_url_path_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(relabel_content_types, restore_content_types)],
            state_operations=[
                migrations.CreateModel(
                    name='HomePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', models.TextField(blank=True, verbose_name='introduction')),
                    ],
                    options={
                        'verbose_name': 'home page',
                        'db_table': 'pages_homepage',
                    },
                    bases=('wagtailcore.page',),
                ),
                migrations.CreateModel(
                    name='NetworkPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('level', models.CharField(choices=[('national', 'National'), ('region', 'Region'), ('province', 'Province'), ('zone', 'Zone'), ('district', 'District'), ('tambon', 'Tambon')], db_index=True, max_length=10, verbose_name='level')),
                        ('area_code', models.CharField(blank=True, db_index=True, help_text='Province, district or tambon code of the Department of Provincial Administration.', max_length=10, verbose_name='official area code')),
                        ('province_code', models.CharField(blank=True, db_index=True, max_length=2, verbose_name='province code')),
                        ('name_en', models.CharField(blank=True, max_length=255, verbose_name='name in English')),
                        ('office_address', models.TextField(blank=True, verbose_name='office address')),
                        ('welfare_started_on', models.DateField(blank=True, null=True, verbose_name='welfare work began on')),
                        ('member_organization_count', models.PositiveIntegerField(default=0, verbose_name='member organizations')),
                        ('member_count', models.PositiveIntegerField(default=0, verbose_name='members')),
                        ('quorum_percent', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for the default: more than half of the committee present.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='quorum (% of the committee)')),
                    ],
                    options={
                        'verbose_name': 'network',
                        'verbose_name_plural': 'networks',
                        'db_table': 'pages_networkpage',
                        'indexes': [models.Index(fields=['level', 'province_code'], name='pages_netwo_level_44e3e6_idx')],
                    },
                    bases=('wagtailcore.page',),
                ),
            ],
        ),
    ]
