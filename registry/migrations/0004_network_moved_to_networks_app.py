"""A registry entry's network is `networks.NetworkPage` now (networks 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0001_initial'),
        ('registry', '0003_registration_serial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the column and its constraint already point at the same table.
            state_operations=[
                migrations.AlterField(
                    model_name='historicalregistryentry',
                    name='network',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.AlterField(
                    model_name='registryentry',
                    name='network',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='registry_entry', to='networks.networkpage', verbose_name='network'),
                ),
            ],
        ),
    ]
