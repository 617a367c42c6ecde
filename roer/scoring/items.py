"""Item figures: keyed summaries and the strongest and weakest items of a view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roer.scoring.groups import Cell
from roer.scoring.respondent import to_percentage
from roer.scoring.summary import Summary


def keyed_percentage_summary(raw: Summary, *, reverse: bool, scale_points: int) -> Summary:
    """Summary of 0-100 item scores from a Summary of raw answers (1..points), mirroring reverse-keyed items.

    Linear maps keep sufficient statistics exact: for y = a + b*v, sum(y) = n*a + b*sum(v) and
    sum(y^2) = n*a^2 + 2ab*sum(v) + b^2*sum(v^2).
    """
    step = 100 / (scale_points - 1)
    if reverse:  # v -> points + 1 - v, then (v - 1) * step
        a, b = (scale_points + 1 - 1) * step, -step
    else:
        a, b = -step, step
    n, total, squares = raw.n, raw.total, raw.total_squares
    return Summary(n, n * a + b * total, n * a * a + 2 * a * b * total + b * b * squares)


@dataclass(frozen=True)
class RankedItem:
    code: str
    score: float
    n: int


def strongest_and_weakest(cells: Mapping[str, Cell], count: int = 3) -> tuple[list[RankedItem], list[RankedItem]]:
    """The `count` highest and lowest shown items; ties are broken by code so the order is stable."""
    shown = [
        RankedItem(code, cell.score, cell.n)
        for code, cell in cells.items()
        if cell.score is not None and cell.n is not None
    ]
    ordered = sorted(shown, key=lambda item: (-item.score, item.code))
    strongest = ordered[:count]
    weakest = sorted((item for item in ordered if item not in strongest), key=lambda item: (item.score, item.code))
    return strongest, weakest[:count]


__all__ = ["RankedItem", "keyed_percentage_summary", "strongest_and_weakest", "to_percentage"]
