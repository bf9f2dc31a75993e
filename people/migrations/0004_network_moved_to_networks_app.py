"""The networks of memberships and assignments are `networks.NetworkPage` now (networks 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0001_initial'),
        ('people', '0003_support_staff_ends_after_start'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the column and its constraint already point at the same table.
            state_operations=[
                migrations.AlterField(
                    model_name='committeemembership',
                    name='network',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_memberships', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.AlterField(
                    model_name='historicalcommitteemembership',
                    name='network',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.networkpage', verbose_name='network'),
                ),
                migrations.AlterField(
                    model_name='historicallocalofficeassignment',
                    name='network',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='The province, district or tambon network this office serves. The office of a district or a tambon also serves the networks below it; a provincial administrative organization serves the provincial network only.', limit_choices_to={'level__in': ['province', 'district', 'tambon']}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.networkpage', verbose_name='network served'),
                ),
                migrations.AlterField(
                    model_name='localofficeassignment',
                    name='network',
                    field=models.ForeignKey(help_text='The province, district or tambon network this office serves. The office of a district or a tambon also serves the networks below it; a provincial administrative organization serves the provincial network only.', limit_choices_to={'level__in': ['province', 'district', 'tambon']}, on_delete=django.db.models.deletion.CASCADE, related_name='local_office_assignments', to='networks.networkpage', verbose_name='network served'),
                ),
                migrations.AlterField(
                    model_name='networkcommitteegroup',
                    name='network',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='committee_group_link', to='networks.networkpage'),
                ),
            ],
        ),
    ]
