"""The expectation gap's arithmetic: perceived minus residents, only where both are shown, and the blind
spots ordered by size with ties by code."""

import pytest

from roer.scoring.expectations import (
    ExpectationGap,
    Misjudgement,
    blind_spots,
    expectation_gap,
    expectation_gaps,
    ranked,
)
from roer.scoring.gaps import gap_threshold_score


def test_the_gap_is_perceived_minus_residents():
    # directors think 75 (mean 4), residents give 62.5 (mean 3.5): the directors expect 12.5 more
    gap = expectation_gap("a", 75.0, 62.5)
    assert gap is not None
    assert gap.difference == 12.5
    assert gap.kind(12.5) is Misjudgement.OVERRATED
    # residents want it more than the directors think: negative
    assert expectation_gap("b", 25.0, 100.0).difference == -75.0  # type: ignore[union-attr]
    assert expectation_gap("b", 25.0, 100.0).kind(12.5) is Misjudgement.UNDERRATED  # type: ignore[union-attr]
    assert expectation_gap("c", 50.0, 60.0).kind(12.5) is Misjudgement.AGREEMENT  # 10 < 12.5


@pytest.mark.parametrize(("perceived", "residents"), [(None, 50.0), (50.0, None), (None, None)])
def test_no_gap_where_either_side_is_hidden(perceived, residents):
    assert expectation_gap("a", perceived, residents) is None
    assert expectation_gaps(["a"], {"a": perceived}, {"a": residents}) == ()


def test_gaps_keep_the_order_of_the_statements_and_leave_out_the_hidden():
    gaps = expectation_gaps(["z", "y", "x"], {"z": 10.0, "y": None, "x": 30.0}, {"z": 0.0, "y": 5.0, "x": 50.0})
    assert [(gap.code, gap.difference) for gap in gaps] == [("z", 10.0), ("x", -20.0)]


def test_blind_spots_are_at_least_the_threshold_largest_first_ties_by_code():
    threshold = gap_threshold_score(scale_points=5, points=0.5)
    assert threshold == 12.5  # half a point of four: 0.5 / 4 * 100
    gaps = [
        ExpectationGap("inw_vertrouwen", 75.0, 87.5),  # -12.5: exactly the threshold counts
        ExpectationGap("inw_online", 250 / 3, 40.0),  # +43.3
        ExpectationGap("inw_hulp", 50.0, 60.0),  # -10: not a blind spot
        ExpectationGap("inw_snel", 75.0, 62.5),  # +12.5: ties with inw_vertrouwen, sorts first by code
        ExpectationGap("inw_mens", 25.0, 100.0),  # -75: the largest, whatever its sign
    ]
    assert [gap.code for gap in blind_spots(gaps, threshold)] == [
        "inw_mens",
        "inw_online",
        "inw_snel",
        "inw_vertrouwen",
    ]
    assert blind_spots(gaps, 80.0) == ()


def test_priorities_rank_the_shown_scores_high_to_low_ties_by_code():
    assert ranked({"b": 50.0, "a": 50.0, "c": None, "d": 87.5}) == (("d", 87.5), ("a", 50.0), ("b", 50.0))
