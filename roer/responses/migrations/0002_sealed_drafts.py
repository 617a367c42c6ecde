"""Drafts become sealed with the respondent's link. The server cannot seal a draft saved before (it
never had the link), so its answers move to `unsealed` until the respondent's next save seals them."""

from django.db import migrations, models


def keep_unsealed(apps, schema_editor):
    ResponseDraft = apps.get_model("responses", "ResponseDraft")
    for draft in ResponseDraft.objects.all():
        draft.unsealed = {"answers": draft.answers, "open_answers": draft.open_answers, "page": draft.page}
        draft.save(update_fields=["unsealed"])


class Migration(migrations.Migration):
    dependencies = [("responses", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="responsedraft",
            name="sealed",
            field=models.BinaryField(default=b"", verbose_name="sealed answers"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="responsedraft",
            name="sealed_by",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="responsedraft",
            name="unsealed",
            field=models.JSONField(default=None, null=True),
        ),
        migrations.RunPython(keep_unsealed, migrations.RunPython.noop),
        migrations.RemoveField(model_name="responsedraft", name="answers"),
        migrations.RemoveField(model_name="responsedraft", name="open_answers"),
        migrations.RemoveField(model_name="responsedraft", name="page"),
        migrations.RemoveField(model_name="responsedraft", name="updated_at"),
    ]
