from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='scanfigures',
            name='format',
            field=models.PositiveSmallIntegerField(default=2),
        ),
    ]
