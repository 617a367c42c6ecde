"""Respondent groups come from the instrument file: a group keeps its code in `kind` and gains the name,
perspective and place the instrument gives it. Scans set up before this were all set up with the municipal
instrument's four groups, so their rows are filled in from those (as the instrument's versions 1 and 2 have
them, roer/instruments/data/groups-before-format-2.yaml)."""

from django.db import migrations, models

BEFORE = {
    "directie": ({"nl": "Directie (zelfbeoordeling)", "en": "Directors (self-assessment)"}, "self", 0),
    "management": ({"nl": "Management", "en": "Management"}, "others", 1),
    "informatievoorziening": (
        {"nl": "Informatievoorziening en adviseurs", "en": "Information management and advisers"},
        "others",
        2,
    ),
    "medewerkers": ({"nl": "Medewerkers", "en": "Staff"}, "others", 3),
}


def fill_in(apps, schema_editor):
    RespondentGroup = apps.get_model("scans", "RespondentGroup")
    for kind, (name, perspective, position) in BEFORE.items():
        RespondentGroup.objects.filter(kind=kind).update(name=name, perspective=perspective, position=position)


class Migration(migrations.Migration):
    dependencies = [("scans", "0006_mail_texts_and_cancelling")]

    operations = [
        migrations.AlterField(
            model_name="respondentgroup",
            name="kind",
            field=models.CharField(help_text="The group's code in the instrument.", max_length=30, verbose_name="group"),
        ),
        migrations.AddField(
            model_name="respondentgroup",
            name="name",
            field=models.JSONField(
                default=dict,
                help_text="The group's name in Dutch and English, from the instrument.",
                verbose_name="name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="respondentgroup",
            name="perspective",
            field=models.CharField(
                choices=[("self", "assesses itself"), ("others", "rates the leadership")],
                default="others",
                max_length=6,
                verbose_name="perspective",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="respondentgroup",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="respondentgroup",
            options={
                "ordering": ["position"],
                "verbose_name": "respondent group",
                "verbose_name_plural": "respondent groups",
            },
        ),
    ]
