"""Group figures, published under the disclosure rule (`roer.scoring.disclosure`).

A group's score on a dimension is the mean of its respondents' dimension scores; a statement's score is
the mean of its answers on the 0-100 scale; a pillar is the mean of its dimensions. "All others
together" pools every respondent of every group but the self-view. What of it is shown, per group and
unit (a dimension with its statements), is the disclosure rule's decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from roer.scoring.disclosure import (
    ALL_OTHERS,
    Counts,
    Disclosure,
    GroupShape,
    Suppression,
    Unit,
    all_others_shape,
    decide,
)
from roer.scoring.spec import InstrumentSpec
from roer.scoring.summary import Summary

__all__ = [
    "ALL_OTHERS",
    "Cell",
    "GroupInput",
    "GroupScores",
    "GroupShape",
    "ScanScores",
    "Suppression",
    "all_others_shape",
    "cells_for",
    "dimension_units",
    "score_scan",
]


@dataclass(frozen=True)
class GroupInput:
    code: str
    is_self: bool
    threshold: int
    responses: int
    dimensions: Mapping[str, Summary] = field(default_factory=dict)
    items: Mapping[str, Summary] = field(default_factory=dict)  # 0-100 item scores (reverse-keyed mirrored)

    @property
    def shape(self) -> GroupShape:
        return GroupShape(self.code, self.is_self, self.threshold, self.responses)


@dataclass(frozen=True)
class Cell:
    """One published figure. A hidden cell carries no number at all: no score, no spread, no n."""

    n: int | None
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
    items: Mapping[str, Cell] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.responses >= self.threshold


@dataclass(frozen=True)
class ScanScores:
    groups: tuple[GroupScores, ...]
    disclosure: Disclosure | None = None

    def group(self, code: str) -> GroupScores | None:
        return next((group for group in self.groups if group.code == code), None)

    @property
    def self_view(self) -> GroupScores | None:
        return next((group for group in self.groups if group.is_self), None)

    @property
    def others_view(self) -> GroupScores | None:
        return self.group(ALL_OTHERS)


def cell(summary: Summary, suppression: Suppression) -> Cell:
    if suppression is not Suppression.NONE:
        return Cell(None, None, None, suppression)
    return Cell(summary.n, summary.mean, summary.sd, suppression)


def cells_for(
    disclosure: Disclosure, figures: Mapping[str, Mapping[str, Summary]], keys: Sequence[str]
) -> dict[str, dict[str, Cell]]:
    """Cells per group code (and ALL_OTHERS) per key, as the disclosure decides; all others pools the
    summaries of every group but the self-view."""
    groups = disclosure.groups
    others = [group for group in groups if not group.is_self]
    result = {
        group.code: {
            key: cell(figures.get(group.code, {}).get(key, Summary()), disclosure.suppression(group.code, key))
            for key in keys
        }
        for group in groups
    }
    if others:
        result[ALL_OTHERS] = {
            key: cell(
                sum((figures.get(group.code, {}).get(key, Summary()) for group in others), Summary()),
                disclosure.suppression(ALL_OTHERS, key),
            )
            for key in keys
        }
    return result


def dimension_units(spec: InstrumentSpec, *, with_items: bool) -> list[Unit]:
    """A dimension with its statements (when their figures are there) is one unit."""
    return [
        Unit(f"dimension:{dimension.code}", (dimension.code, *(dimension.item_codes if with_items else ())))
        for dimension in spec.dimensions
    ]


def counts_of(groups: Sequence[GroupInput]) -> Counts:
    return {
        group.code: {
            **{key: summary.n for key, summary in group.items.items()},
            **{key: summary.n for key, summary in group.dimensions.items()},
        }
        for group in groups
    }


def _pillars(spec: InstrumentSpec, cells: Mapping[str, Cell]) -> dict[str, float | None]:
    """A pillar is the mean of its dimensions, and only shown when every one of them is shown."""
    pillars: dict[str, float | None] = {}
    for pillar in spec.pillars:
        scores = [cells[code].score for code in pillar.dimension_codes]
        known = [score for score in scores if score is not None]
        pillars[pillar.code] = sum(known) / len(known) if len(known) == len(scores) else None
    return pillars


def score_scan(spec: InstrumentSpec, groups: Sequence[GroupInput]) -> ScanScores:
    """Scores per group and for all others together: dimensions, their statements and pillars, each
    shown or hidden as the disclosure rule decides for the dimension's unit."""
    shapes = [group.shape for group in groups]
    with_items = any(group.items for group in groups)
    disclosure = decide(shapes, counts_of(groups), dimension_units(spec, with_items=with_items))
    dimension_codes = [dimension.code for dimension in spec.dimensions]
    item_codes = [code for dimension in spec.dimensions for code in dimension.item_codes] if with_items else []
    dimensions = cells_for(disclosure, {group.code: group.dimensions for group in groups}, dimension_codes)
    items = cells_for(disclosure, {group.code: group.items for group in groups}, item_codes)
    combined = all_others_shape(shapes)
    ordered = [*shapes, combined] if combined is not None else shapes
    return ScanScores(
        groups=tuple(
            GroupScores(
                code=shape.code,
                is_self=shape.is_self,
                threshold=shape.threshold,
                responses=shape.responses,
                dimensions=dimensions[shape.code],
                pillars=_pillars(spec, dimensions[shape.code]),
                items=items.get(shape.code, {}),
            )
            for shape in ordered
        ),
        disclosure=disclosure,
    )
