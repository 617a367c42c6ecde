"""Open answers wait for a scan manager's review before anyone else reads them. Answers stored before
are reviewed like new ones: none of them had been checked for names, numbers or addresses."""

import secrets

from django.db import migrations, models

import roer.responses.models


def give_handles(apps, schema_editor):
    OpenAnswer = apps.get_model("responses", "OpenAnswer")
    for answer in OpenAnswer.objects.all():
        answer.handle = secrets.token_urlsafe(12)
        answer.save(update_fields=["handle"])


class Migration(migrations.Migration):
    dependencies = [("responses", "0002_sealed_drafts")]

    operations = [
        migrations.AddField(
            model_name="openanswer",
            name="status",
            field=models.CharField(
                choices=[("pending", "Waiting for review"), ("published", "Published"), ("hidden", "Hidden")],
                default="pending",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddField(
            model_name="openanswer",
            name="published_text",
            field=models.TextField(blank=True, verbose_name="published text"),
        ),
        migrations.AddField(
            model_name="openanswer",
            name="handle",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.RunPython(give_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="openanswer",
            name="handle",
            field=models.CharField(default=roer.responses.models.new_handle, max_length=20, unique=True),
        ),
    ]
