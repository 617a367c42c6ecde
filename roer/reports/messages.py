"""The key messages of the management summary, written from the data: nothing here is typed by hand.

Each message is a small dataclass; the summary template turns them into sentences in Dutch or English.
"""

from __future__ import annotations

from dataclasses import dataclass

from roer.results.benchmarks import PeerComparison
from roer.results.insight import Level, ReferenceFigure
from roer.results.progress import ChangeRow
from roer.results.selectors import ScanResults
from roer.scoring.gaps import Gap, GapKind
from roer.scoring.items import RankedItem


@dataclass(frozen=True)
class KeyMessages:
    pillars: tuple[Level, ...]
    strongest: tuple[RankedItem, ...]
    weakest: tuple[RankedItem, ...]
    largest_blind_spot: Gap | None
    gaps_compared: bool
    benchmark_taking_part: bool
    benchmark: PeerComparison | None  # the "all organisations" comparison
    pillar_changes: tuple[ChangeRow, ...]
    has_previous: bool
    references: tuple[ReferenceFigure, ...]
    next_steps: tuple[Level, ...]


def key_messages(results: ScanResults) -> KeyMessages:
    insight = results.insight
    blind_spots = [gap for gap in insight.gaps if gap.kind is GapKind.BLIND_SPOT]
    largest = max(blind_spots, key=lambda gap: (gap.difference, gap.code), default=None)
    comparison = next((c for c in results.benchmark.comparisons if c.key == "all"), None)
    pillar_codes = {pillar.code for pillar in results.definition.pillars}
    # What to work on first: the three weakest dimensions, each with the next step its level recommends.
    weakest_dimensions = sorted(insight.dimension_levels, key=lambda level: (level.score, level.code))[:3]
    return KeyMessages(
        pillars=insight.pillar_levels,
        strongest=insight.strongest,
        weakest=insight.weakest,
        largest_blind_spot=largest,
        gaps_compared=bool(insight.gaps),
        benchmark_taking_part=results.benchmark.taking_part,
        benchmark=comparison,
        pillar_changes=tuple(row for row in results.progress.rows if row.code in pillar_codes),
        has_previous=results.progress.previous is not None,
        references=insight.references,
        next_steps=tuple(weakest_dimensions),
    )
