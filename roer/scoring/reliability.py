"""Scale quality: Cronbach's alpha and corrected item-total correlations of a dimension.

Both follow from a few sums over the respondents who answered every item of the dimension (keyed, so a
reverse-keyed item is mirrored first): their number n, each item's sum, and the sum of every product of
two items' answers (a square on the diagonal). Those sums add up over groups, so the quality of any set
of groups is computed from theirs, and the figures file publishes them for every set Roer shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ScaleQuality:
    respondents: int
    alpha: float | None
    item_total: tuple[float | None, ...]  # corrected: each item against the sum of the other items


@dataclass(frozen=True)
class QualitySums:
    """n respondents with every item; sums[i] = Σ xᵢ; products[i][j] = Σ xᵢ·xⱼ."""

    n: int
    sums: tuple[float, ...]
    products: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, rows: Sequence[Sequence[float]], k: int) -> QualitySums:
        sums = [0.0] * k
        products = [[0.0] * k for _ in range(k)]
        for row in rows:
            for i in range(k):
                sums[i] += row[i]
                for j in range(k):
                    products[i][j] += row[i] * row[j]
        return cls(len(rows), tuple(sums), tuple(tuple(line) for line in products))

    def __add__(self, other: QualitySums) -> QualitySums:
        if not self.n:
            return other
        if not other.n:
            return self
        return QualitySums(
            self.n + other.n,
            tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
            tuple(
                tuple(a + b for a, b in zip(line, other_line, strict=True))
                for line, other_line in zip(self.products, other.products, strict=True)
            ),
        )


def quality_of(sums: QualitySums) -> ScaleQuality:
    """alpha = k / (k - 1) * (1 - Σ item variances / variance of the sum score), with sample
    covariances cov(i, j) = (Σ xᵢxⱼ - Σxᵢ·Σxⱼ / n) / (n - 1); the corrected item-total correlation of
    item i is the correlation of xᵢ with the sum of the other items."""
    n, k = sums.n, len(sums.sums)
    if n < 2 or k < 2:
        return ScaleQuality(n, None, tuple(None for _ in range(k)))
    cov = [[(sums.products[i][j] - sums.sums[i] * sums.sums[j] / n) / (n - 1) for j in range(k)] for i in range(k)]
    variances = [cov[i][i] for i in range(k)]
    total = sum(sum(line) for line in cov)
    alpha = k / (k - 1) * (1 - sum(variances) / total) if total > 0 else None
    item_total = []
    for i in range(k):
        with_total = sum(cov[i])  # cov(xᵢ, T)
        rest_variance = total - 2 * with_total + variances[i]  # var(T - xᵢ)
        spread = variances[i] * rest_variance
        item_total.append((with_total - variances[i]) / math.sqrt(spread) if spread > 1e-12 else None)
    return ScaleQuality(n, alpha, tuple(item_total))


def scale_quality(rows: Sequence[Sequence[float]]) -> ScaleQuality:
    """rows: one list of keyed item answers per respondent who answered every item of the dimension."""
    k = len(rows[0]) if rows else 0
    return quality_of(QualitySums.of(rows, k))
