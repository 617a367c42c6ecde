"""Group figures with anonymity protection.

A figure is only shown for at least `threshold` respondents. Because "all others" is the sum of the
other groups, showing it beside all but one of them would let a reader compute the hidden group by
subtraction; complementary suppression hides the smallest shown group as well until whatever is hidden
together is itself at least as large as the threshold (or hidden groups are empty).

The same protection applies to every kind of figure: dimensions, items and developments. `protect`
does it for any set of keys; `score_scan` adds pillars on top for dimensions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


@dataclass(frozen=True)
class GroupShape:
    """Who a group is, without any figures: enough to decide what may be shown."""

    code: str
    is_self: bool
    threshold: int
    responses: int


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


def all_others_shape(groups: Sequence[GroupShape]) -> GroupShape | None:
    others = [group for group in groups if not group.is_self]
    if not others:
        return None
    return GroupShape(
        code=ALL_OTHERS,
        is_self=False,
        threshold=max(group.threshold for group in others),
        responses=sum(group.responses for group in others),
    )


def protect(
    groups: Sequence[GroupShape], figures: Mapping[str, Mapping[str, Summary]], keys: Iterable[str]
) -> dict[str, dict[str, Cell]]:
    """Cells per group code (and ALL_OTHERS) per key, with every figure below its threshold hidden.

    `figures` holds each group's Summary per key; "all others" pools the summaries of every group that
    is not the self-view.
    """
    keys = list(keys)
    cells = {
        group.code: {
            key: _cell(
                figures.get(group.code, {}).get(key, Summary()), threshold=group.threshold, responses=group.responses
            )
            for key in keys
        }
        for group in groups
    }
    combined = all_others_shape(groups)
    if combined is None:
        return cells
    others = [group for group in groups if not group.is_self]
    thresholds = {group.code: group.threshold for group in others}
    cells[ALL_OTHERS] = {}
    for key in keys:
        pooled = sum((figures.get(group.code, {}).get(key, Summary()) for group in others), Summary())
        total = _cell(pooled, threshold=combined.threshold, responses=combined.responses)
        cells[ALL_OTHERS][key] = total
        column = {group.code: cells[group.code][key] for group in others}
        _protect_total(column, thresholds, total)
        for code, cell in column.items():
            cells[code][key] = cell
    return cells


def _pillars(spec: InstrumentSpec, cells: Mapping[str, Cell]) -> dict[str, float | None]:
    """A pillar is the mean of its dimensions, and only shown when every one of them is shown."""
    pillars: dict[str, float | None] = {}
    for pillar in spec.pillars:
        scores = [cells[code].score for code in pillar.dimension_codes]
        known = [score for score in scores if score is not None]
        pillars[pillar.code] = sum(known) / len(known) if len(known) == len(scores) else None
    return pillars


def score_scan(spec: InstrumentSpec, groups: Sequence[GroupInput]) -> ScanScores:
    """Scores per group and for all others together, with every figure below its threshold hidden."""
    shapes = [GroupShape(group.code, group.is_self, group.threshold, group.responses) for group in groups]
    dimension_codes = [dimension.code for dimension in spec.dimensions]
    cells = protect(shapes, {group.code: group.dimensions for group in groups}, dimension_codes)
    combined = all_others_shape(shapes)
    ordered = [*shapes, combined] if combined is not None else shapes
    return ScanScores(
        groups=tuple(
            GroupScores(
                code=shape.code,
                is_self=shape.is_self,
                threshold=shape.threshold,
                responses=shape.responses,
                dimensions=cells[shape.code],
                pillars=_pillars(spec, cells[shape.code]),
            )
            for shape in ordered
        )
    )
