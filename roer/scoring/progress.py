"""Change between two scans, with a 95% confidence interval so that noise is not read as progress.

The interval is Welch's: the two scans have different respondents and possibly different spreads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from roer.scoring.stats import student_t_quantile
from roer.scoring.summary import Summary


@dataclass(frozen=True)
class Change:
    difference: float
    low: float
    high: float

    @property
    def is_clear(self) -> bool:
        """True when the interval lies wholly above or below zero."""
        return self.low > 0 or self.high < 0


def change_between(before: Summary, after: Summary, confidence: float = 0.95) -> Change | None:
    """after.mean - before.mean with its Welch interval; None when either side has fewer than two scores."""
    if before.n < 2 or after.n < 2 or before.sd is None or after.sd is None:
        return None
    if before.mean is None or after.mean is None:  # pragma: no cover - n >= 2 always has a mean
        return None
    share_before = before.sd**2 / before.n
    share_after = after.sd**2 / after.n
    standard_error = math.sqrt(share_before + share_after)
    difference = after.mean - before.mean
    if standard_error == 0:
        return Change(difference, difference, difference)
    df = (share_before + share_after) ** 2 / (share_before**2 / (before.n - 1) + share_after**2 / (after.n - 1))
    margin = student_t_quantile(1 - (1 - confidence) / 2, df) * standard_error
    return Change(difference, difference - margin, difference + margin)
