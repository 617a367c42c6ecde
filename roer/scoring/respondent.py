"""One respondent's dimension scores."""

from __future__ import annotations

from collections.abc import Mapping

from roer.scoring.spec import DimensionSpec, InstrumentSpec

# An answer is a point on the scale (1..points), None for "don't know"; a skipped item is simply absent.
Answers = Mapping[str, int | None]


def to_percentage(mean: float, scale_points: int) -> float:
    """Map a mean on a 1..points scale to 0..100; on a 5-point scale this is (mean - 1) / 4 * 100."""
    return (mean - 1) / (scale_points - 1) * 100


def _keyed_value(value: int, *, reverse: bool, scale_points: int) -> int:
    return scale_points + 1 - value if reverse else value


def dimension_score(dimension: DimensionSpec, answers: Answers, scale_points: int) -> float | None:
    """The respondent's 0-100 score for one dimension, or None when fewer than half its items are answered.

    "Don't know" and skipped items are left out; reverse-keyed items are mirrored first (5 becomes 1).
    """
    values = [
        _keyed_value(value, reverse=code in dimension.reverse_codes, scale_points=scale_points)
        for code in dimension.item_codes
        if (value := answers.get(code)) is not None
    ]
    if not values or 2 * len(values) < len(dimension.item_codes):
        return None
    return to_percentage(sum(values) / len(values), scale_points)


def respondent_dimension_scores(spec: InstrumentSpec, answers: Answers) -> dict[str, float | None]:
    for code, value in answers.items():
        if value is not None and not 1 <= value <= spec.scale_points:
            raise ValueError(f"answer {value!r} to {code} is outside the scale 1..{spec.scale_points}")
    return {dimension.code: dimension_score(dimension, answers, spec.scale_points) for dimension in spec.dimensions}
