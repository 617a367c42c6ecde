"""Benchmark: the benchmark recompute (`refresh_benchmarks`) over 100, 1,000 and 5,000 organisations.

The recompute reads only each organisation's stored figures, never an answer, so the organisations are
not answered one by one (a million synthetic respondents would take longer than the whole bench may).
Instead a handful of real synthetic scans with different seeds are answered and closed, and their
figures computed, by the real code (`bench.common.answered_scan` and `publish`); every benchmark
organisation then gets a closed scan whose stored figures are a copy of one of those, written directly.
Every fourth organisation also has an older closed scan, which the recompute must pass over. The seed
scans' organisations do not take part in the benchmark.

For each size it prints the recompute's time (median of 3), its peak memory (the peak of Python's
allocations during one more recompute, traced with tracemalloc, the same way at every size) and the
log-log slope of time against the previous size (1 is linear), and, at 5,000, the ratio to the goal of
1 s. It also prints what the benchmark section of one results page costs at each size.
"""

from __future__ import annotations

import datetime
import math
import random
import time
import tracemalloc
from typing import Any

from django.utils import timezone

from bench.common import answered_scan, median, prepare_database, publish, timed
from roer.instruments.models import InstrumentVersion
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import Organisation, OrganisationKind
from roer.results.benchmarks import benchmark_for
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan, ScanState

SIZES = (100, 1_000, 5_000)
SEED_SCANS = 8
SEED_RESPONDENTS = 200
REPEAT = 3
GOAL_MS = 1_000


def seed_figures(version: InstrumentVersion) -> list[dict[str, Any]]:
    """The stored figures of a few real synthetic scans, answered, closed and computed by the real code."""
    figures = []
    for seed in range(SEED_SCANS):
        organisation = Organisation.objects.create(
            name=f"Voorbeeld {seed}", kind=OrganisationKind.GEMEENTE, inhabitants=20_000 + seed * 30_000
        )
        scan = answered_scan(organisation, version, SEED_RESPONDENTS, random.Random(seed))
        publish(scan)
        figures.append(ScanFigures.objects.get(scan=scan).data)
    return figures


def add_organisations(
    version: InstrumentVersion, figures: list[dict[str, Any]], first: int, last: int, rng: random.Random
) -> None:
    """Organisations first..last-1, opted in, each with a closed scan with figures (and some an older one)."""
    today = timezone.localdate()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisatie {number:05d}",
            kind=OrganisationKind.GEMEENTE if number % 10 else OrganisationKind.WATERSCHAP,
            inhabitants=rng.randrange(1_000, 400_000) if number % 10 else None,
            benchmark_opt_in=True,
        )
        for number in range(first, last)
    )
    scans, data = [], []
    for number, organisation in zip(range(first, last), organisations, strict=True):
        ages = (30, 400) if number % 4 == 0 else (30,)
        for age in ages:
            closes_on = today - datetime.timedelta(days=age)
            scans.append(
                Scan(
                    organisation=organisation,
                    instrument_version=version,
                    title="Bench",
                    opens_on=closes_on - datetime.timedelta(days=20),
                    closes_on=closes_on,
                    state=ScanState.FIGURES_READY,
                )
            )
            data.append(rng.choice(figures))
    created = Scan.objects.bulk_create(scans, batch_size=1_000)
    ScanFigures.objects.bulk_create(
        (ScanFigures(scan=scan, data=figure) for scan, figure in zip(created, data, strict=True)), batch_size=500
    )


def latest_scan(name: str) -> Scan:
    return Scan.objects.select_related("organisation").filter(organisation__name=name).latest("closes_on")


def traced_peak_mb(version: InstrumentVersion) -> float:
    tracemalloc.start()
    try:
        refresh_benchmarks.call(version.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024


def slope(previous: tuple[int, float] | None, size: int, milliseconds: float) -> str:
    if previous is None:
        return ""
    size_before, before = previous
    return f", slope {math.log(milliseconds / before) / math.log(size / size_before):.2f}"


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    started = time.perf_counter()
    figures = seed_figures(version)
    rows = [
        (
            f"seed scans answered, closed and computed by the real code ({SEED_SCANS} x {SEED_RESPONDENTS})",
            f"{time.perf_counter() - started:.1f} s",
        )
    ]
    rng = random.Random(5_000)
    add_organisations(version, figures, 0, SIZES[0], rng)
    written = SIZES[0]
    # one organisation's results page: a municipality that takes part, seeing its own scores beside its peers
    viewer = latest_scan("Organisatie 00001")
    own = dict(figures[0]["published"])
    previous: tuple[int, float] | None = None
    previous_page: tuple[int, float] | None = None
    for size in SIZES:
        add_organisations(version, figures, written, size, rng)
        written = size
        recompute = median(timed(lambda: refresh_benchmarks.call(version.pk), REPEAT))
        peak = traced_peak_mb(version)
        goal = f", {recompute / GOAL_MS:.2f}x the goal of {GOAL_MS:,} ms" if size == SIZES[-1] else ""
        rows.append(
            (
                f"benchmark recompute, {size:,} organisations, median of {REPEAT}",
                f"{recompute:.0f} ms, peak {peak:.1f} MB{slope(previous, size, recompute)}{goal}",
            )
        )
        previous = (size, recompute)
        page = median(timed(lambda: benchmark_for(viewer, own, own), REPEAT))
        rows.append(
            (
                f"benchmark section of one results page, {size:,} organisations",
                f"{page:.1f} ms{slope(previous_page, size, page)}",
            )
        )
        previous_page = (size, page)
    rows.append(("peer group rows written at 5,000 organisations", f"{PeerGroupScores.objects.count():,}"))
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
