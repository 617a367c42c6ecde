"""The migration that packs answers keeps every answer stored before it, and gives open answers their scan
and group."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from roer.scoring.packed import unpack
from tests.factories import ScanFactory
from tests.groups import GroupKind

BEFORE = [("responses", "0003_open_answer_review")]
AFTER = [("responses", "0004_packed_answers")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_answers_stored_as_rows_are_packed_unchanged(organisation, instrument_version):
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    apps = _migrate(BEFORE)
    try:
        Response = apps.get_model("responses", "Response")
        Answer = apps.get_model("responses", "Answer")
        day = scan.opens_on
        given = {"ont_overzicht": 4, "ont_volgen": None, "ref_verandering": 2}
        kept = Response.objects.create(
            scan_id=scan.pk, group_id=group.pk, instrument_version_id=instrument_version.pk, submitted_on=day
        )
        empty = Response.objects.create(
            scan_id=scan.pk, group_id=group.pk, instrument_version_id=instrument_version.pk, submitted_on=day
        )
        for code, value in given.items():
            Answer.objects.create(response=kept, code=code, value=value)
        apps.get_model("responses", "OpenAnswer").objects.create(response=kept, code="open_x", text="t", handle="h1")

        apps = _migrate(AFTER)
        Response = apps.get_model("responses", "Response")
        codes = instrument_version.parsed.answer_codes()
        assert unpack(codes, bytes(Response.objects.get(pk=kept.pk).packed_answers)) == given
        assert unpack(codes, bytes(Response.objects.get(pk=empty.pk).packed_answers)) == {}
        moved = apps.get_model("responses", "OpenAnswer").objects.get()
        assert (moved.scan_id, moved.group_id) == (scan.pk, group.pk)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
