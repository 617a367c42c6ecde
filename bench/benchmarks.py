"""Benchmark: benchmark figures over 1,000 organisations with 200,000 respondents.

Writes 1,000 opted-in organisations with one closed scan of 200 respondents each (responses and their
dimension scores, scored by the real scoring function; item answers are left out because benchmarks use
dimension and pillar scores only). Then it measures the two steps separately:
1. the figures of each scan, computed once when the scan closes (here for all 1,000 at once);
2. the benchmark recompute from those stored figures, which is what `refresh_figures` does nightly and
   closing a scan does at once (goal: under 1 s).
"""

from __future__ import annotations

import random
import time

from bench.common import answered_scan, median, prepare_database, publish, timed
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import Organisation, OrganisationKind
from roer.results.models import PeerGroupScores

ORGANISATIONS = 1_000
RESPONDENTS = 200


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(1000)
    started = time.perf_counter()
    scans = []
    for number in range(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=f"Organisatie {number:04d}",
            kind=OrganisationKind.GEMEENTE if number % 10 else OrganisationKind.WATERSCHAP,
            inhabitants=rng.randrange(1_000, 400_000) if number % 10 else None,
            benchmark_opt_in=True,
        )
        scans.append(answered_scan(organisation, version, RESPONDENTS, rng, with_answers=False))
    generated = time.perf_counter() - started

    started = time.perf_counter()
    for scan in scans:
        publish(scan)
    figures_seconds = time.perf_counter() - started

    recompute = timed(lambda: refresh_benchmarks.call(version.pk), 3)
    respondents = sum(scan.responses.count() for scan in scans[:10]) * ORGANISATIONS // 10
    return [
        ("organisations / respondents written", f"{ORGANISATIONS:,} / ~{respondents:,} (in {generated:.0f} s)"),
        (
            "figures of all 1,000 scans, computed once at closing",
            f"{figures_seconds:.1f} s ({figures_seconds / ORGANISATIONS * 1000:.1f} ms per scan)",
        ),
        ("benchmark recompute from stored figures, median of 3", f"{median(recompute):.0f} ms (goal < 1,000 ms)"),
        ("peer group rows written", f"{PeerGroupScores.objects.count():,}"),
    ]


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
