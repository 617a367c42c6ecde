"""Group scores with anonymity protection.

A figure is only shown for at least `threshold` respondents. Because "all others" is the sum of the
other groups, showing it beside all but one of them would let a reader compute the hidden group by
subtraction; complementary suppression hides the smallest shown group as well until whatever is hidden
together is itself at least as large as the threshold (or hidden groups are empty).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from roer.scoring.spec import InstrumentSpec
from roer.scoring.summary import Summary

ALL_OTHERS = "all_others"


class Suppression(StrEnum):
    NONE = "none"
    BELOW_THRESHOLD = "below_threshold"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class GroupInput:
    code: str
    is_self: bool
    threshold: int
    responses: int
    dimensions: Mapping[str, Summary] = field(default_factory=dict)


@dataclass(frozen=True)
class Cell:
    n: int
    score: float | None
    sd: float | None
    suppression: Suppression

    @property
    def shown(self) -> bool:
        return self.suppression is Suppression.NONE


@dataclass(frozen=True)
class GroupScores:
    code: str
    is_self: bool
    threshold: int
    responses: int
    dimensions: Mapping[str, Cell]
    pillars: Mapping[str, float | None]

    @property
    def shown(self) -> bool:
        return self.responses >= self.threshold


@dataclass(frozen=True)
class ScanScores:
    groups: tuple[GroupScores, ...]

    def group(self, code: str) -> GroupScores | None:
        return next((group for group in self.groups if group.code == code), None)

    @property
    def self_view(self) -> GroupScores | None:
        return next((group for group in self.groups if group.is_self), None)

    @property
    def others_view(self) -> GroupScores | None:
        return self.group(ALL_OTHERS)


def _cell(summary: Summary, *, threshold: int, responses: int) -> Cell:
    if responses < threshold or summary.n < threshold:
        return Cell(summary.n, None, None, Suppression.BELOW_THRESHOLD)
    return Cell(summary.n, summary.mean, summary.sd, Suppression.NONE)


def _hide(cell: Cell) -> Cell:
    return Cell(cell.n, None, None, Suppression.COMPLEMENTARY)


def _protect_total(cells: dict[str, Cell], thresholds: Mapping[str, int], total: Cell) -> None:
    """Hide more groups until the hidden remainder of a shown total is empty or at least its threshold."""
    if not total.shown:
        return
    hidden = [code for code, cell in cells.items() if not cell.shown and cell.n > 0]
    while hidden:
        remainder = sum(cells[code].n for code in hidden)
        if remainder >= max(thresholds[code] for code in hidden):
            return
        shown = [code for code, cell in cells.items() if cell.shown]
        if not shown:
            return
        smallest = min(shown, key=lambda code: (cells[code].n, code))
        cells[smallest] = _hide(cells[smallest])
        hidden.append(smallest)


def _pillars(spec: InstrumentSpec, cells: Mapping[str, Cell]) -> dict[str, float | None]:
    """A pillar is the mean of its dimensions, and only shown when every one of them is shown."""
    pillars: dict[str, float | None] = {}
    for pillar in spec.pillars:
        scores = [cells[code].score for code in pillar.dimension_codes]
        pillars[pillar.code] = None if any(score is None for score in scores) else sum(scores) / len(scores)  # type: ignore[arg-type]
    return pillars


def score_scan(spec: InstrumentSpec, groups: Sequence[GroupInput]) -> ScanScores:
    """Scores per group and for all others together, with every figure below its threshold hidden."""
    dimension_codes = [dimension.code for dimension in spec.dimensions]
    cells = {
        group.code: {
            code: _cell(group.dimensions.get(code, Summary()), threshold=group.threshold, responses=group.responses)
            for code in dimension_codes
        }
        for group in groups
    }
    inputs = list(groups)
    others = [group for group in groups if not group.is_self]
    if others:
        combined = GroupInput(
            code=ALL_OTHERS,
            is_self=False,
            threshold=max(group.threshold for group in others),
            responses=sum(group.responses for group in others),
            dimensions={
                code: sum((group.dimensions.get(code, Summary()) for group in others), Summary())
                for code in dimension_codes
            },
        )
        inputs.append(combined)
        cells[ALL_OTHERS] = {
            code: _cell(combined.dimensions[code], threshold=combined.threshold, responses=combined.responses)
            for code in dimension_codes
        }
        thresholds = {group.code: group.threshold for group in others}
        for code in dimension_codes:
            column = {group.code: cells[group.code][code] for group in others}
            _protect_total(column, thresholds, cells[ALL_OTHERS][code])
            for group_code, cell in column.items():
                cells[group_code][code] = cell

    return ScanScores(
        groups=tuple(
            GroupScores(
                code=group.code,
                is_self=group.is_self,
                threshold=group.threshold,
                responses=group.responses,
                dimensions=cells[group.code],
                pillars=_pillars(spec, cells[group.code]),
            )
            for group in inputs
        )
    )
