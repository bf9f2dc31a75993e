"""HomePage and NetworkPage belong to the `networks` app now (networks 0001); the documents' network
field points there."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0001_initial'),
        ('pages', '0005_page_url_path_index'),
        ('people', '0004_network_moved_to_networks_app'),
        ('registry', '0004_network_moved_to_networks_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the column and its constraint already point at the same table.
            state_operations=[
                migrations.AlterField(
                    model_name='actionplanpage',
                    name='network',
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.AlterField(
                    model_name='meetingminutespage',
                    name='network',
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.AlterField(
                    model_name='charterpage',
                    name='network',
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.DeleteModel(
                    name='HomePage',
                ),
                migrations.DeleteModel(
                    name='NetworkPage',
                ),
            ],
        ),
    ]
