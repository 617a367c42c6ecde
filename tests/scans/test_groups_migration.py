"""The migration that gives each respondent group its instrument's name, perspective and place fills in the
groups of every scan set up before it, so their results read exactly as they did."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from roer.scans.models import RespondentGroup
from tests.factories import OrganisationFactory

BEFORE = [("scans", "0006_mail_texts_and_cancelling")]
AFTER = [("scans", "0007_groups_from_the_instrument")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_groups_stored_before_get_the_municipal_names_perspectives_and_order(instrument_version):
    organisation = OrganisationFactory()
    apps = _migrate(BEFORE)
    try:
        Scan = apps.get_model("scans", "Scan")
        Group = apps.get_model("scans", "RespondentGroup")
        scan = Scan.objects.create(
            organisation_id=organisation.pk,
            instrument_version_id=instrument_version.pk,
            title="Oud",
            opens_on="2025-01-01",
            closes_on="2025-01-31",
        )
        for kind, threshold in (("medewerkers", 7), ("directie", 3), ("informatievoorziening", 5)):
            Group.objects.create(scan_id=scan.pk, kind=kind, threshold=threshold)
        _migrate(AFTER)
        rows = [
            (group.kind, group.perspective, group.position, group.threshold, group.name["nl"])
            for group in RespondentGroup.objects.filter(scan_id=scan.pk)
        ]
        assert rows == [
            ("directie", "self", 0, 3, "Directie (zelfbeoordeling)"),
            ("informatievoorziening", "others", 2, 5, "Informatievoorziening en adviseurs"),
            ("medewerkers", "others", 3, 7, "Medewerkers"),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migration_fills_in_the_groups_the_older_files_have():
    import importlib

    from roer.instruments.groups import groups_before_format_2

    migration = importlib.import_module("roer.scans.migrations.0007_groups_from_the_instrument")
    assert {
        group.code: (group.name.model_dump(), group.perspective, position)
        for position, group in enumerate(groups_before_format_2())
    } == migration.BEFORE
