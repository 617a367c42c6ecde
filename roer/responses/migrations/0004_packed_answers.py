"""A response's scaled answers move from one row per answer into bytes on the response (one per question,
in the version's order, see roer.scoring.packed); the stored dimension scores go, since figures compute
them from the answers. Responses stored before are packed from their rows here, in chunks. Open answers
carry their scan and group, so a page reads each group's first answers from an index."""

import django.db.models.deletion
from django.db import migrations, models

from roer.instruments.schema import InstrumentDefinition
from roer.scoring.packed import pack

CHUNK = 2000


def pack_answers(apps, schema_editor):
    Response = apps.get_model("responses", "Response")
    Answer = apps.get_model("responses", "Answer")
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    layouts = {}
    for version in InstrumentVersion.objects.filter(pk__in=Response.objects.values("instrument_version")):
        definition = InstrumentDefinition.model_validate(version.definition)
        layouts[version.pk] = (definition.answer_codes(), definition.scale.points)
    pending = Response.objects.order_by("pk").values_list("pk", "instrument_version_id")
    last = None
    while True:
        chunk = list((pending.filter(pk__gt=last) if last is not None else pending)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        given = {pk: {} for pk, _version in chunk}
        for response_id, code, value in Answer.objects.filter(response_id__in=given).values_list(
            "response_id", "code", "value"
        ):
            given[response_id][code] = value
        for pk, version_id in chunk:
            codes, points = layouts[version_id]
            Response.objects.filter(pk=pk).update(packed_answers=pack(codes, given[pk], points))


def unpack_answers(apps, schema_editor):
    Response = apps.get_model("responses", "Response")
    Answer = apps.get_model("responses", "Answer")
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    codes_of = {
        version.pk: InstrumentDefinition.model_validate(version.definition).answer_codes()
        for version in InstrumentVersion.objects.all()
    }
    for response in Response.objects.iterator(chunk_size=CHUNK):
        codes = codes_of[response.instrument_version_id]
        Answer.objects.bulk_create(
            Answer(response=response, code=code, value=None if value == 255 else value)
            for code, value in zip(codes, bytes(response.packed_answers), strict=True)
            if value
        )


def scan_and_group_of_open_answers(apps, schema_editor):
    OpenAnswer = apps.get_model("responses", "OpenAnswer")
    Response = apps.get_model("responses", "Response")
    own = Response.objects.filter(pk=models.OuterRef("response_id"))
    OpenAnswer.objects.update(
        scan=models.Subquery(own.values("scan_id")[:1]), group=models.Subquery(own.values("group_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0003_open_answer_review"),
        ("instruments", "0001_initial"),
        ("scans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="packed_answers",
            field=models.BinaryField(default=b"", verbose_name="answers"),
        ),
        migrations.RunPython(pack_answers, unpack_answers, elidable=False),
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="DimensionScore"),
        migrations.AddField(
            model_name="openanswer",
            name="scan",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="scans.scan"
            ),
        ),
        migrations.AddField(
            model_name="openanswer",
            name="group",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="scans.respondentgroup"
            ),
        ),
        migrations.RunPython(scan_and_group_of_open_answers, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="openanswer",
            name="scan",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="scans.scan"),
        ),
        migrations.AlterField(
            model_name="openanswer",
            name="group",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="scans.respondentgroup"
            ),
        ),
        migrations.AddIndex(
            model_name="openanswer",
            index=models.Index(
                fields=["scan", "status", "group", "code", "handle"], name="responses_o_scan_id_2b7381_idx"
            ),
        ),
    ]
