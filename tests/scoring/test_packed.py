"""Packed answers: what is stored comes back unchanged, and the array scores are the one-respondent scores."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roer.scoring import DimensionSpec, InstrumentSpec, PillarSpec, respondent_dimension_scores
from roer.scoring.packed import (
    DONT_KNOW,
    answer_matrix,
    dimension_score_matrix,
    pack,
    pillar_score_matrix,
    unpack,
)

CODES = ("a", "b", "c", "d", "e", "ref")
SPEC = InstrumentSpec(
    scale_points=5,
    pillars=(PillarSpec("p", ("x", "y")),),
    dimensions=(
        DimensionSpec("x", ("a", "b", "c"), frozenset({"b"})),
        DimensionSpec("y", ("d", "e")),
    ),
)
# Per code: absent (skipped), None ("don't know") or a point of the scale.
ANSWERS = st.dictionaries(st.sampled_from(CODES), st.one_of(st.none(), st.integers(1, 5)))


def test_a_worked_example_packs_to_one_byte_per_question():
    assert pack(CODES, {"a": 4, "b": None, "d": 1, "other": 3}, 5) == bytes([4, DONT_KNOW, 0, 1, 0, 0])
    assert unpack(CODES, bytes([4, DONT_KNOW, 0, 1, 0, 0])) == {"a": 4, "b": None, "d": 1}


@given(ANSWERS)
def test_what_is_packed_unpacks_unchanged(answers):
    assert unpack(CODES, pack(CODES, answers, 5)) == answers


@pytest.mark.parametrize("value", [0, 6, 255])
def test_an_answer_outside_the_scale_is_refused(value):
    with pytest.raises(ValueError, match="outside the scale"):
        pack(CODES, {"a": value}, 5)


def test_stored_answers_of_another_length_are_refused():
    with pytest.raises(ValueError, match="6 questions"):
        unpack(CODES, bytes(5))
    with pytest.raises(ValueError, match="6 answers"):
        answer_matrix([bytes(6), bytes(5)], 6)


def test_the_array_scores_of_a_worked_example():
    # x: a=5, b=2 mirrored to 4, c don't know -> (5 + 4) / 2 = 4.5 -> 87.5; y: d only, 1 of 2 -> (1-1)/4 = 0
    matrix = answer_matrix([pack(CODES, {"a": 5, "b": 2, "c": None, "d": 1}, 5)], len(CODES))
    scores = dimension_score_matrix(matrix, CODES, SPEC)
    assert scores.tolist() == [[87.5, 0.0]]
    assert pillar_score_matrix(scores, SPEC).tolist() == [[43.75]]
    # x with only a (1 of 3 answered) has no score, and so the pillar has none
    lone = dimension_score_matrix(answer_matrix([pack(CODES, {"a": 5, "d": 2}, 5)], len(CODES)), CODES, SPEC)
    assert math.isnan(lone[0, 0])
    assert lone[0, 1] == 25.0
    assert math.isnan(pillar_score_matrix(lone, SPEC)[0, 0])


@given(st.lists(ANSWERS, min_size=1, max_size=30))
def test_the_array_scores_are_bit_for_bit_the_scores_of_one_respondent(respondents):
    matrix = answer_matrix([pack(CODES, answers, 5) for answers in respondents], len(CODES))
    scores = dimension_score_matrix(matrix, CODES, SPEC)
    pillars = pillar_score_matrix(scores, SPEC)
    for row, answers in enumerate(respondents):
        one = respondent_dimension_scores(SPEC, answers)
        assert [None if np.isnan(value) else value for value in scores[row]] == [one["x"], one["y"]]
        expected = None if None in (one["x"], one["y"]) else (one["x"] + one["y"]) / 2  # type: ignore[operator]
        assert (None if np.isnan(pillars[row, 0]) else pillars[row, 0]) == expected
