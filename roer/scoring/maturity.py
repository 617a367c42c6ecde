"""Maturity levels: a 0-100 score falls in one of the bands an instrument defines."""

from __future__ import annotations

from collections.abc import Sequence


def level_for(score: float, band_starts: Sequence[float]) -> int:
    """The 1-based level whose band contains the score; band_starts are the lowest scores of each level,
    ascending and starting at 0. A score exactly on a boundary belongs to the higher level."""
    if not band_starts or band_starts[0] != 0 or list(band_starts) != sorted(band_starts):
        raise ValueError("bands must start at 0 and ascend")
    level = 1
    for index, start in enumerate(band_starts, start=1):
        if score >= start:
            level = index
    return level
