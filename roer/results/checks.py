"""Checks that every published figure still follows from the stored answers, for after a restore: each
scan's figures computed again, and every benchmark rebuilt, compared with what is stored. Nothing is
changed: the rebuild runs in a transaction that is rolled back."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from roer.instruments.models import InstrumentVersion
from roer.results.benchmarks import peer_scores_rebuild
from roer.results.figures import compute_figures
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan


def _as_stored(data: dict[str, Any]) -> Any:
    """The figures as a JSON column gives them back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(data))


def figure_differences(scan: Scan) -> list[str]:
    """The parts of a scan's stored figures that its answers no longer give, to the last decimal. Figures
    of an older format are left to `refresh_figures`, which stores them anew."""
    stored = ScanFigures.objects.filter(scan=scan, format=ScanFigures.FORMAT).values_list("data", flat=True).first()
    if stored is None:
        return []
    computed = _as_stored(compute_figures(scan))
    return [
        f"scan {scan.code} ({scan.title}): {part} differ"
        for part in sorted(set(computed) | set(stored))
        if computed.get(part) != stored.get(part)
    ]


def _peer_scores(version: InstrumentVersion) -> dict[tuple[str, str], Any]:
    rows = PeerGroupScores.objects.filter(instrument_version=version).values_list("peer_group", "code", "entries")
    return {(group, code): entries for group, code, entries in rows}


def benchmark_differences(version: InstrumentVersion) -> list[str]:
    """The peer groups whose stored scores a rebuild from the stored figures would change."""
    with transaction.atomic():
        InstrumentVersion.objects.select_for_update().filter(pk=version.pk).first()  # as refresh_benchmarks
        stored = _peer_scores(version)
        peer_scores_rebuild(version)
        rebuilt = _peer_scores(version)
        transaction.set_rollback(True)
    return [
        f"benchmark of {version}: {group} {code} differs"
        for group, code in sorted(set(stored) | set(rebuilt))
        if stored.get((group, code)) != rebuilt.get((group, code))
    ]


def published_figure_differences() -> tuple[int, int, list[str]]:
    """(scans checked, instrument versions checked, every difference found)."""
    differences: list[str] = []
    scans = Scan.objects.with_figures().select_related("instrument_version").order_by("pk")
    for scan in scans:
        differences += figure_differences(scan)
    versions = InstrumentVersion.objects.filter(pk__in=scans.values("instrument_version_id")).order_by("pk")
    for version in versions:
        differences += benchmark_differences(version)
    return scans.count(), versions.count(), differences
