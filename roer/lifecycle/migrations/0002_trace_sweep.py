
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lifecycle', '0001_initial'),
        ('scans', '0005_scan_state_from_dates'),
    ]

    operations = [
        migrations.CreateModel(
            name='TraceSweep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('responses_seen', models.PositiveIntegerField(default=0)),
                ('scan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scans.scan')),
            ],
            options={
                'verbose_name': 'trace sweep',
                'verbose_name_plural': 'trace sweeps',
            },
        ),
    ]
