"""Reads for the pages: the imported figures beside a scan's results, and the open data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.functional import Promise

from roer.exchange.cells import Cell, OwnBenchmark, key_of, own_benchmark
from roer.exchange.models import ImportedCell, TrustedInstallation
from roer.results.benchmarks import Benchmark, peer_group_keys, peer_group_label
from roer.scans.models import Scan
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES


@dataclass(frozen=True)
class ExternalRow:
    code: str
    own: float | None
    median: float
    q1: float | None
    q3: float | None


@dataclass(frozen=True)
class ExternalComparison:
    installation: str
    key: str
    label: str | Promise
    organisations: int  # the largest number of organisations behind one of the rows
    rows: tuple[ExternalRow, ...]


def external_benchmark_for(scan: Scan, benchmark: Benchmark) -> tuple[ExternalComparison, ...]:
    """The imported figures of the scan's instrument version for the organisation's peer groups, one
    comparison per installation and peer group, apart from the local benchmark. Only for an organisation
    that takes part (as the local benchmark), and only cells of at least MIN_PEERS organisations (the
    import refuses others; this holds the rule again). One query, none when the organisation does not
    take part."""
    if not benchmark.taking_part:
        return ()
    organisation = scan.organisation
    version = scan.instrument_version
    keys = peer_group_keys(organisation.kind, organisation.inhabitants)
    own: dict[str, float | None] = {}
    order: list[str] = []
    for comparison in benchmark.comparisons[:1]:
        for row in comparison.rows:
            own[row.code] = row.own
            order.append(row.code)
    groups = Q(kind="", size_class=0) | Q(kind=organisation.kind, size_class=0)
    size = organisation.size_class
    if size is not None:
        groups |= Q(kind=organisation.kind, size_class=size.number)
    cells = (
        ImportedCell.objects.filter(
            groups,
            instrument_code=version.instrument.code,
            instrument_version=version.number,
            content_hash=version.content_hash,
            code__in=order,
            organisations__gte=MIN_PEERS,
        )
        .order_by("benchmark__installation__name")
        .values_list(
            "benchmark__installation__name", "kind", "size_class", "code", "organisations", "median", "q1", "q3"
        )
    )
    found: dict[tuple[str, str], dict[str, tuple[int, float, float | None, float | None]]] = defaultdict(dict)
    installations: list[str] = []
    for name, kind, size_class, code, organisations, median, q1, q3 in cells:
        if name not in installations:
            installations.append(name)
        quartiles = (q1, q3) if organisations >= MIN_PEERS_FOR_QUARTILES else (None, None)
        found[name, key_of(kind, size_class)][code] = (organisations, median, *quartiles)
    comparisons = []
    for name in installations:
        for key in keys:
            figures = found.get((name, key))
            if not figures:
                continue
            rows = tuple(ExternalRow(code, own.get(code), *figures[code][1:]) for code in order if code in figures)
            count = max(organisations for organisations, *_rest in figures.values())
            comparisons.append(ExternalComparison(name, key, peer_group_label(key), count, rows))
    return tuple(comparisons)


def trusted_installations() -> list[TrustedInstallation]:
    """Every trusted installation with its latest import (if any) and that import's number of cells."""
    return list(TrustedInstallation.objects.select_related("benchmark").annotate(cell_count=Count("benchmark__cells")))


@dataclass(frozen=True)
class OpenData:
    published: bool
    contributors: int
    minimum: int
    cells: tuple[Cell, ...]


def open_data() -> OpenData:
    """This installation's own cells, published once ROER_OPEN_DATA_MIN_ORGANISATIONS take part."""
    benchmark: OwnBenchmark = own_benchmark()
    minimum = settings.ROER_OPEN_DATA_MIN_ORGANISATIONS
    published = benchmark.contributors >= minimum
    return OpenData(published, benchmark.contributors, minimum, benchmark.cells if published else ())
