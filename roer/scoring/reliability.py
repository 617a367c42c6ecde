"""Scale quality: Cronbach's alpha and corrected item-total correlations of a dimension."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def _variance(values: Sequence[float]) -> float:
    n = len(values)
    mean = sum(values) / n
    return sum((value - mean) ** 2 for value in values) / (n - 1)


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    spread = math.sqrt(sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys))
    return covariance / spread if spread else None


@dataclass(frozen=True)
class ScaleQuality:
    respondents: int
    alpha: float | None
    item_total: tuple[float | None, ...]  # corrected: each item against the sum of the other items


def scale_quality(rows: Sequence[Sequence[float]]) -> ScaleQuality:
    """rows: one list of keyed item answers per respondent who answered every item of the dimension.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the sum score), with sample variances.
    """
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if n < 2 or k < 2:
        return ScaleQuality(n, None, tuple(None for _ in range(k)))
    columns = [[row[index] for row in rows] for index in range(k)]
    totals = [sum(row) for row in rows]
    total_variance = _variance(totals)
    alpha = None
    if total_variance > 0:
        alpha = k / (k - 1) * (1 - sum(_variance(column) for column in columns) / total_variance)
    item_total = tuple(
        _correlation(column, [total - value for total, value in zip(totals, column, strict=True)]) for column in columns
    )
    return ScaleQuality(n, alpha, item_total)
