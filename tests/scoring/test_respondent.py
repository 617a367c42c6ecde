"""A respondent's dimension scores, with every expected number worked out by hand in the comments."""

import pytest

from roer.scoring import DimensionSpec, InstrumentSpec, PillarSpec, respondent_dimension_scores, to_percentage

DIMENSION = DimensionSpec(code="d", item_codes=("a", "b", "c", "d"), reverse_codes=frozenset({"d"}))
SPEC = InstrumentSpec(scale_points=5, pillars=(PillarSpec("p", ("d",)),), dimensions=(DIMENSION,))


def test_it_maps_the_scale_to_0_100():
    # (mean - 1) / 4 * 100 on a 5-point scale
    assert to_percentage(1, 5) == 0
    assert to_percentage(3, 5) == 50
    assert to_percentage(5, 5) == 100
    assert to_percentage(4.5, 5) == 87.5


def test_it_mirrors_reverse_keyed_items_and_leaves_out_dont_know():
    # a=4, b=5, c="don't know", d=2 reverse-keyed -> 6 - 2 = 4.
    # Three of four items answered: mean (4 + 5 + 4) / 3 = 13/3; score (13/3 - 1) / 4 * 100 = 83.33...
    scores = respondent_dimension_scores(SPEC, {"a": 4, "b": 5, "c": None, "d": 2})
    assert scores["d"] == pytest.approx(83.3333, abs=1e-4)


def test_it_scores_a_dimension_when_exactly_half_its_items_are_answered():
    # a=2, b=3; c and d skipped: 2 of 4 is half -> mean 2.5 -> (2.5 - 1) / 4 * 100 = 37.5
    assert respondent_dimension_scores(SPEC, {"a": 2, "b": 3})["d"] == 37.5


def test_it_gives_no_score_when_fewer_than_half_are_answered():
    # one of four answered, and "don't know" does not count as an answer
    assert respondent_dimension_scores(SPEC, {"a": 5, "b": None, "c": None})["d"] is None
    assert respondent_dimension_scores(SPEC, {})["d"] is None


def test_it_needs_two_of_three_items_for_a_three_item_dimension():
    three = DimensionSpec(code="t", item_codes=("x", "y", "z"))
    spec = InstrumentSpec(scale_points=5, pillars=(PillarSpec("p", ("t",)),), dimensions=(three,))
    assert respondent_dimension_scores(spec, {"x": 5})["t"] is None
    # x=5, y=4: mean 4.5 -> 87.5
    assert respondent_dimension_scores(spec, {"x": 5, "y": 4})["t"] == 87.5


def test_a_reverse_keyed_extreme_becomes_the_other_extreme():
    # d=1 reverse -> 5; a=5: mean 5 -> 100
    assert respondent_dimension_scores(SPEC, {"a": 5, "d": 1})["d"] == 100


def test_it_refuses_an_answer_outside_the_scale():
    with pytest.raises(ValueError, match="outside the scale"):
        respondent_dimension_scores(SPEC, {"a": 6})


def test_a_pillar_may_not_name_an_unknown_dimension():
    with pytest.raises(ValueError, match="unknown dimensions"):
        InstrumentSpec(scale_points=5, pillars=(PillarSpec("p", ("nope",)),), dimensions=(DIMENSION,))
