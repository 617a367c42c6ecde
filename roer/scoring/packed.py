"""A response's answers as bytes, and the respondent-level scores of many responses at once.

A response stores one byte per scaled code of its instrument version, in the version's fixed order
(`InstrumentDefinition.answer_codes`): 0 when the question was skipped, 1..points for a point of the
scale, 255 for "don't know". Versions are immutable, so the order never changes under stored answers.
Fifty thousand respondents then fit in one array of a few megabytes, and the figures of a scan are a
handful of array operations instead of millions of rows.

`dimension_score_matrix` gives exactly the scores `respondent.dimension_score` gives one respondent
(the same operations on the same integers, in the same order), so both can be checked against each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from roer.scoring.spec import DimensionSpec, InstrumentSpec

SKIPPED = 0
DONT_KNOW = 255

Matrix = npt.NDArray[np.uint8]
Scores = npt.NDArray[np.float64]


def pack(codes: Sequence[str], answers: Mapping[str, int | None], points: int) -> bytes:
    """The answers in the order of `codes`; answers to other codes are not stored."""
    if not 2 <= points < DONT_KNOW:
        raise ValueError(f"a scale of {points} points does not fit one byte per answer")
    packed = bytearray(len(codes))
    for position, code in enumerate(codes):
        if code not in answers:
            continue
        value = answers[code]
        if value is not None and not 1 <= value <= points:
            raise ValueError(f"answer {value!r} to {code} is outside the scale 1..{points}")
        packed[position] = DONT_KNOW if value is None else value
    return bytes(packed)


def unpack(codes: Sequence[str], packed: bytes) -> dict[str, int | None]:
    """The answers as a mapping: skipped codes absent, "don't know" as None."""
    if len(packed) != len(codes):
        raise ValueError(f"{len(packed)} stored answers for {len(codes)} questions")
    return {
        code: None if value == DONT_KNOW else value
        for code, value in zip(codes, packed, strict=True)
        if value != SKIPPED
    }


def answer_matrix(rows: Sequence[bytes], width: int) -> Matrix:
    """One row per response, one column per code."""
    joined = b"".join(rows)
    if len(joined) != width * len(rows):
        raise ValueError(f"every response must hold {width} answers")
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(rows), width)


def answered(values: Matrix) -> npt.NDArray[np.bool_]:
    """Where a point of the scale was given (neither skipped nor "don't know")."""
    mask: npt.NDArray[np.bool_] = (values != SKIPPED) & (values != DONT_KNOW)
    return mask


def keyed_columns(
    matrix: Matrix, codes: Sequence[str], wanted: Sequence[str], reverse: frozenset[str], points: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The answers to `wanted` as keyed integers (reverse-keyed mirrored) and where they were answered;
    keyed values where nothing was answered are 0."""
    position = {code: index for index, code in enumerate(codes)}
    raw = matrix[:, [position[code] for code in wanted]]
    given = answered(raw)
    keyed = raw.astype(np.int64)
    mirrored = [index for index, code in enumerate(wanted) if code in reverse]
    if mirrored:
        keyed[:, mirrored] = points + 1 - keyed[:, mirrored]
    return np.where(given, keyed, 0), given


def _dimension_scores(matrix: Matrix, codes: Sequence[str], dimension: DimensionSpec, points: int) -> Scores:
    keyed, given = keyed_columns(matrix, codes, dimension.item_codes, dimension.reverse_codes, points)
    total = keyed.sum(axis=1)
    count = given.sum(axis=1)
    scored = (count > 0) & (2 * count >= len(dimension.item_codes))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        score: Scores = (mean - 1) / (points - 1) * 100
    return np.where(scored, score, np.nan)


def dimension_score_matrix(matrix: Matrix, codes: Sequence[str], spec: InstrumentSpec) -> Scores:
    """Each response's 0-100 score per dimension (columns in the spec's order), NaN where a respondent
    answered fewer than half a dimension's statements."""
    scores = np.empty((matrix.shape[0], len(spec.dimensions)))
    for column, dimension in enumerate(spec.dimensions):
        scores[:, column] = _dimension_scores(matrix, codes, dimension, spec.scale_points)
    return scores


def pillar_score_matrix(scores: Scores, spec: InstrumentSpec) -> Scores:
    """Each response's pillar score: the mean of its dimension scores, NaN unless it has all of them.
    The scores are added left to right, as `sum()` adds them for one respondent."""
    column = {dimension.code: index for index, dimension in enumerate(spec.dimensions)}
    pillars = np.empty((scores.shape[0], len(spec.pillars)))
    for index, pillar in enumerate(spec.pillars):
        columns = [column[code] for code in pillar.dimension_codes]
        total = scores[:, columns[0]].copy()
        for other in columns[1:]:
            total += scores[:, other]
        pillars[:, index] = total / len(columns)
    return pillars
