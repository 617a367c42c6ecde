"""Sufficient statistics for a set of scores: enough to combine groups and to compute a mean and sd.

Keeping n, sum and sum of squares (rather than every value) lets the database aggregate at scale and
lets "all others" be built from its groups exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    n: int = 0
    total: float = 0.0
    total_squares: float = 0.0

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary:
        n, total, total_squares = 0, 0.0, 0.0
        for value in values:
            n += 1
            total += value
            total_squares += value * value
        return cls(n, total, total_squares)

    def __add__(self, other: Summary) -> Summary:
        return Summary(self.n + other.n, self.total + other.total, self.total_squares + other.total_squares)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def sd(self) -> float | None:
        """Sample standard deviation (n - 1 in the denominator)."""
        if self.n < 2:
            return None
        variance = (self.total_squares - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(variance, 0.0))


def share_agreeing(values: Iterable[int | None], scale_points: int) -> tuple[int, float | None]:
    """How many answered (leaving out "don't know"), and the percentage that agrees.

    Agreeing means a point above the middle of the scale: 4 or 5 on a 5-point scale.
    """
    answered = [value for value in values if value is not None]
    if not answered:
        return 0, None
    middle = (scale_points + 1) / 2
    agreeing = sum(1 for value in answered if value > middle)
    return len(answered), 100 * agreeing / len(answered)
