"""Self versus others: where the directors see themselves differently from how the others see them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GapKind(StrEnum):
    BLIND_SPOT = "blind_spot"  # self higher than others: the directors overrate themselves here
    HIDDEN_STRENGTH = "hidden_strength"  # self lower than others: the others see more than they do
    AGREEMENT = "agreement"


@dataclass(frozen=True)
class Gap:
    code: str
    self_score: float
    others_score: float
    kind: GapKind

    @property
    def difference(self) -> float:
        """Self minus others, in points on the 0-100 scale."""
        return self.self_score - self.others_score


def gap_threshold_score(
    *, scale_points: int, points: float | None = None, share_of_scale: float | None = None, score: float | None = None
) -> float:
    """A gap threshold on the 0-100 scale, from one of three ways an instrument may state it.

    points: in scale points (0.5 on a 5-point scale is 12.5); share_of_scale: a share of the scale's number
    of points (1/3 of 5 points is 1.67 points, 41.7); score: directly on the 0-100 scale.
    """
    given = [value for value in (points, share_of_scale, score) if value is not None]
    if len(given) != 1:
        raise ValueError("state the gap threshold in exactly one way")
    if score is not None:
        return score
    in_points = share_of_scale * scale_points if share_of_scale is not None else points
    return float(in_points or 0) / (scale_points - 1) * 100


def classify_gap(code: str, self_score: float | None, others_score: float | None, threshold: float) -> Gap | None:
    """The gap on one dimension, or None when either view is hidden. It counts when it exceeds the threshold."""
    if self_score is None or others_score is None:
        return None
    difference = self_score - others_score
    if difference > threshold:
        kind = GapKind.BLIND_SPOT
    elif difference < -threshold:
        kind = GapKind.HIDDEN_STRENGTH
    else:
        kind = GapKind.AGREEMENT
    return Gap(code, self_score, others_score, kind)
