"""Benchmarks against comparable organisations.

`peer_scores_rebuild` recomputes, per instrument version, the others' view of every opted-in
organisation's latest scan with figures, grouped into peer groups: all organisations, the same kind, the same
CBS size class. Pages read those stored scores and show only a median, quartiles and the viewing
organisation's own position; a peer group with fewer than five other organisations shows nothing. The
pool is rebuilt once a night for everyone at once (an opt-in or opt-out takes effect then, so no before
and after of one organisation's change can be compared), and at once only when an organisation is
deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.organisations.models import Organisation, OrganisationKind
from roer.organisations.size_classes import SIZE_CLASSES
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import RespondentGroup, Scan
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, PeerStatistics, peer_statistics, percentile_rank
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
    size = next(size for size in SIZE_CLASSES if size.number == int(value))
    return _("Same size: %(size)s") % {"size": size.label}


def group_shapes(groups: Iterable[RespondentGroup], responses: dict[str, int]) -> list[GroupShape]:
    ordered = sorted(groups, key=lambda group: group.sort_key)
    return [GroupShape(group.kind, group.is_self, group.threshold, responses.get(group.kind, 0)) for group in ordered]


def _published(scans: list[Scan]) -> dict[int, dict[str, float]]:
    """The others' view each scan published (stored with its figures), in one query."""
    rows = ScanFigures.objects.filter(scan__in=scans, format=ScanFigures.FORMAT).values("scan_id", "data__published")
    return {row["scan_id"]: dict(row["data__published"] or {}) for row in rows}


def latest_closed_scans(version: InstrumentVersion) -> list[Scan]:
    """Each opted-in organisation's most recent scan of this instrument version with figures."""
    closed = (
        Scan.objects.with_figures()
        .filter(instrument_version=version, organisation__benchmark_opt_in=True)
        .select_related("organisation")
        .order_by("organisation_id", "-closes_on", "-created_at")
    )
    latest: dict[int, Scan] = {}
    for scan in closed:
        latest.setdefault(scan.organisation_id, scan)
    return list(latest.values())


def peer_scores_rebuild(version: InstrumentVersion) -> int:
    """Recompute the peer group scores of one instrument version; returns the number of organisations.

    The caller holds the version's row (see `roer.lifecycle.benchmarks`), so two rebuilds of one
    version never interleave their delete and insert."""
    entries: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    scans = latest_closed_scans(version)
    published = _published(scans)
    for scan in scans:
        for code, score in published.get(scan.pk, {}).items():
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
    min_peers_for_quartiles: int = MIN_PEERS_FOR_QUARTILES


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
