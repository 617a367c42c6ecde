"""The expectation gap: what the organisation thinks residents answer, beside what residents answer.

Directors and staff answer each residents' statement in a "perceived" wording ("residents want ..."), on
the same 0-100 scale as the residents' own answers. The gap on a statement is the perceived score minus
the residents' score: positive where the organisation expects more agreement than residents give (it
overrates what residents want), negative where residents want more than the organisation thinks. Both
scores are published figures (hidden ones are None), so a gap exists only where both are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Misjudgement(StrEnum):
    OVERRATED = "overrated"  # the organisation expects more agreement than residents give
    UNDERRATED = "underrated"  # residents agree more than the organisation expects
    AGREEMENT = "agreement"


@dataclass(frozen=True)
class ExpectationGap:
    code: str
    perceived: float
    residents: float

    @property
    def difference(self) -> float:
        """Perceived minus residents, in points on the 0-100 scale."""
        return self.perceived - self.residents

    @property
    def size(self) -> float:
        return abs(self.difference)

    def kind(self, threshold: float) -> Misjudgement:
        if self.size < threshold:
            return Misjudgement.AGREEMENT
        return Misjudgement.OVERRATED if self.difference > 0 else Misjudgement.UNDERRATED


def expectation_gap(code: str, perceived: float | None, residents: float | None) -> ExpectationGap | None:
    """The gap on one statement, or None when either side is hidden."""
    if perceived is None or residents is None:
        return None
    return ExpectationGap(code, perceived, residents)


def expectation_gaps(
    codes: Sequence[str], perceived: Mapping[str, float | None], residents: Mapping[str, float | None]
) -> tuple[ExpectationGap, ...]:
    """The gaps in the order of `codes`, leaving out every statement with a side hidden."""
    found = (expectation_gap(code, perceived.get(code), residents.get(code)) for code in codes)
    return tuple(gap for gap in found if gap is not None)


def blind_spots(gaps: Sequence[ExpectationGap], threshold: float) -> tuple[ExpectationGap, ...]:
    """The statements misjudged by at least `threshold` points, the largest first (ties by code, so the
    order is stable)."""
    return tuple(sorted((gap for gap in gaps if gap.size >= threshold), key=lambda gap: (-gap.size, gap.code)))


def ranked(scores: Mapping[str, float | None]) -> tuple[tuple[str, float], ...]:
    """Shown scores from high to low (ties by code): residents' priorities."""
    shown = [(code, score) for code, score in scores.items() if score is not None]
    return tuple(sorted(shown, key=lambda pair: (-pair[1], pair[0])))
