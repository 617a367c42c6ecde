"""Benchmarks against comparable organisations.

`refresh_benchmarks` recomputes, per instrument version, the others' view of every opted-in
organisation's latest closed scan, grouped into peer groups: all organisations, the same kind, the same
CBS size class. Pages read those stored scores and show only a median, quartiles and the viewing
organisation's own position; a peer group with fewer than five other organisations shows nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.organisations.models import Organisation, OrganisationKind
from roer.results.figures import figures_for
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan
from roer.scoring import GroupInput, InstrumentSpec, Summary, score_scan
from roer.scoring.benchmark import MIN_PEERS, PeerStatistics, peer_statistics, percentile_rank
from roer.scoring.groups import GroupShape

ALL = "all"


def peer_groups_of(organisation: Organisation) -> list[str]:
    groups = [ALL, f"kind:{organisation.kind}"]
    if organisation.size_class is not None:
        groups.append(f"size:{organisation.size_class.number}")
    return groups


def peer_group_label(key: str) -> str | Promise:
    if key == ALL:
        return _("All organisations")
    kind, _separator, value = key.partition(":")
    if kind == "kind":
        return _("Same kind: %(kind)s") % {"kind": OrganisationKind(value).label}
    from roer.organisations.size_classes import SIZE_CLASSES

    size = next(size for size in SIZE_CLASSES if size.number == int(value))
    return _("Same size: %(size)s") % {"size": size.label}


def group_shapes(scan: Scan, responses: dict[str, int]) -> list[GroupShape]:
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    return [GroupShape(group.kind, group.is_self, group.threshold, responses.get(group.kind, 0)) for group in groups]


def _others_view(
    scan: Scan, spec: InstrumentSpec, responses: dict[str, int], dimensions: dict[str, dict[str, Summary]]
) -> dict[str, float]:
    shapes = group_shapes(scan, responses)
    inputs = [GroupInput(s.code, s.is_self, s.threshold, s.responses, dimensions.get(s.code, {})) for s in shapes]
    others = score_scan(spec, inputs).others_view
    if others is None:
        return {}
    values = {code: cell.score for code, cell in others.dimensions.items() if cell.score is not None}
    values.update({code: score for code, score in others.pillars.items() if score is not None})
    return values


def others_view_scores(scan: Scan) -> dict[str, float]:
    """A closed scan's shown others' view per dimension and pillar."""
    figures = figures_for(scan)
    return _others_view(scan, scan.instrument_version.spec, figures.responses, figures.dimensions)


def _stored_dimension_figures(scans: list[Scan]) -> dict[int, tuple[dict[str, int], dict[str, dict[str, Summary]]]]:
    """Counts and dimension sums of many scans in one query, reading only those parts of the stored JSON."""
    rows = ScanFigures.objects.filter(scan__in=scans, format=ScanFigures.FORMAT).values(
        "scan_id", "data__responses", "data__dimensions"
    )
    return {
        row["scan_id"]: (
            {kind: int(n) for kind, n in row["data__responses"].items()},
            {
                kind: {code: Summary(int(v[0]), v[1], v[2]) for code, v in cells.items()}
                for kind, cells in row["data__dimensions"].items()
            },
        )
        for row in rows
    }


def latest_closed_scans(version: InstrumentVersion) -> list[Scan]:
    """Each opted-in organisation's most recent closed scan of this instrument version."""
    today = timezone.localdate()
    closed = (
        Scan.objects.filter(instrument_version=version, organisation__benchmark_opt_in=True)
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .select_related("organisation")
        .prefetch_related("groups")
        .order_by("organisation_id", "-closes_on", "-created_at")
    )
    latest: dict[int, Scan] = {}
    for scan in closed:
        latest.setdefault(scan.organisation_id, scan)
    return list(latest.values())


@transaction.atomic
def refresh_benchmarks(version: InstrumentVersion) -> int:
    """Recompute the peer group scores of one instrument version; returns the number of organisations."""
    entries: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    scans = latest_closed_scans(version)
    stored = _stored_dimension_figures(scans)
    spec = version.spec
    for scan in scans:
        scan.instrument_version = version  # the same object for all: its definition is parsed once
        # A scan without stored figures gets them computed (and stored) here.
        scores = _others_view(scan, spec, *stored[scan.pk]) if scan.pk in stored else others_view_scores(scan)
        for code, score in scores.items():
            for group in peer_groups_of(scan.organisation):
                entries[(group, code)].append((scan.organisation_id, score))
    PeerGroupScores.objects.filter(instrument_version=version).delete()
    PeerGroupScores.objects.bulk_create(
        PeerGroupScores(
            instrument_version=version,
            peer_group=group,
            code=code,
            entries=sorted(([org, score] for org, score in values), key=lambda entry: entry[1]),
        )
        for (group, code), values in entries.items()
    )
    return len(scans)


def refresh_all_benchmarks() -> list[tuple[InstrumentVersion, int, float]]:
    report = []
    for version in InstrumentVersion.objects.filter(scans__isnull=False).distinct():
        started = time.perf_counter()
        count = refresh_benchmarks(version)
        report.append((version, count, time.perf_counter() - started))
    return report


@dataclass(frozen=True)
class BenchmarkRow:
    code: str
    own: float | None
    statistics: PeerStatistics | None
    percentile: float | None


@dataclass(frozen=True)
class PeerComparison:
    key: str
    label: str | Promise
    others: int
    rows: tuple[BenchmarkRow, ...]

    @property
    def shown(self) -> bool:
        return self.others >= MIN_PEERS


@dataclass(frozen=True)
class Benchmark:
    taking_part: bool
    comparisons: tuple[PeerComparison, ...]
    min_peers: int = MIN_PEERS


def benchmark_for(scan: Scan, own_scores: dict[str, float | None], codes: Iterable[str]) -> Benchmark:
    """The scan's own others' view beside each peer group, leaving the organisation itself out of its peers."""
    organisation = scan.organisation
    if not organisation.benchmark_opt_in:
        return Benchmark(False, ())
    codes = list(codes)
    keys = peer_groups_of(organisation)
    stored = {
        (row.peer_group, row.code): row.entries
        for row in PeerGroupScores.objects.filter(instrument_version=scan.instrument_version, peer_group__in=keys)
    }
    comparisons = []
    for key in keys:
        rows = []
        others = 0
        for code in codes:
            peers = [score for org, score in stored.get((key, code), []) if org != organisation.pk]
            others = max(others, len(peers))
            own = own_scores.get(code)
            enough = len(peers) >= MIN_PEERS
            rows.append(
                BenchmarkRow(
                    code,
                    own,
                    peer_statistics(peers) if enough else None,
                    percentile_rank(own, peers) if enough and own is not None else None,
                )
            )
        comparisons.append(PeerComparison(key, peer_group_label(key), others, tuple(rows)))
    return Benchmark(True, tuple(comparisons))
