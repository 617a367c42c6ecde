
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('report_viewed', 'Report viewed'), ('report_downloaded', 'Report downloaded (PDF)'), ('export_downloaded', 'Export downloaded'), ('open_answer_published', 'Open answer published'), ('open_answer_redacted', 'Open answer published with parts taken out'), ('open_answer_hidden', 'Open answer hidden'), ('open_answer_withdrawn', 'Open answer back to waiting for review')], max_length=40, verbose_name='action'),
        ),
    ]
