"""Benchmark statistics: the Harrell-Davis median and quartiles, checked against the formula of
docs/scoring.md worked with whole-number Beta parameters (where the incomplete beta function is a
binomial sum), and never one peer's own score."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, harrell_davis, peer_statistics, percentile_rank


def incomplete_beta(x: float, a: int, b: int) -> float:
    """I(x; a, b) for whole a and b: the chance of at least a successes in a + b - 1 tries of chance x."""
    m = a + b - 1
    return sum(math.comb(m, j) * x**j * (1 - x) ** (m - j) for j in range(a, m + 1))


def harrell_davis_by_hand(values: list[float], p: float) -> float:
    n = len(values)
    a, b = round(p * (n + 1)), round((1 - p) * (n + 1))
    assert (a, b) == (p * (n + 1), (1 - p) * (n + 1)), "whole parameters only"
    ordered = sorted(values)
    return sum(
        (incomplete_beta(i / n, a, b) - incomplete_beta((i - 1) / n, a, b)) * ordered[i - 1] for i in range(1, n + 1)
    )


ELEVEN = [12.0, 20.0, 31.0, 38.0, 44.0, 50.0, 57.0, 63.0, 70.0, 81.0, 95.0]  # n + 1 = 12: a, b whole


def test_the_median_and_quartiles_of_eleven_peers_follow_the_formula():
    statistics = peer_statistics(ELEVEN)
    assert statistics.median == pytest.approx(harrell_davis_by_hand(ELEVEN, 0.5))  # a = b = 6
    assert statistics.q1 == pytest.approx(harrell_davis_by_hand(ELEVEN, 0.25))  # a = 3, b = 9
    assert statistics.q3 == pytest.approx(harrell_davis_by_hand(ELEVEN, 0.75))  # a = 9, b = 3
    assert 31.0 < statistics.q1 < 44.0 < statistics.median < 63.0 < statistics.q3 < 81.0


def test_five_peers_get_a_median_and_no_quartiles_and_four_get_nothing():
    five = [10.0, 35.0, 40.0, 70.0, 90.0]  # n + 1 = 6: a = b = 3
    statistics = peer_statistics(five)
    assert statistics.median == pytest.approx(harrell_davis_by_hand(five, 0.5))
    assert statistics.median != 40.0  # the ordinary median would be the third peer's own score
    assert (statistics.q1, statistics.q3) == (None, None)
    assert peer_statistics(five[:4]) is None
    assert MIN_PEERS_FOR_QUARTILES == 10


@given(st.lists(st.integers(0, 1000).map(lambda value: value / 10), min_size=MIN_PEERS, max_size=40, unique=True))
def test_a_published_figure_is_never_one_peers_own_score_unless_they_are_placed_symmetrically(values):
    statistics = peer_statistics(values)
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    mirrored = all(
        math.isclose(ordered[i] + ordered[-1 - i], 2 * middle, abs_tol=1e-9) for i in range(len(ordered) // 2)
    )
    published = [statistics.median, statistics.q1, statistics.q3]
    for figure in (value for value in published if value is not None):
        hits = [value for value in values if math.isclose(value, figure, abs_tol=1e-6)]
        assert not hits or (mirrored and figure == pytest.approx(middle))


def test_the_worked_example_of_docs_scoring_md():
    """Section 12: five peers 10, 35, 40, 70, 90 have a median of 47.65, not the third peer's 40."""
    statistics = peer_statistics([10.0, 35.0, 40.0, 70.0, 90.0])
    assert statistics.median == pytest.approx(47.6464, abs=1e-4)


@given(
    st.lists(
        st.one_of(st.integers(0, 200).map(lambda value: value / 2), st.floats(0, 100, allow_nan=False)),
        min_size=2,
        max_size=300,
    )
)
def test_the_estimates_are_scipys_hdquantiles_to_the_last_bit(values):
    """The weights are kept per number of peers; the estimates stay those of scipy's `hdquantiles`,
    which computed them before, exactly (so no published figure moved)."""
    import numpy
    from scipy.stats.mstats import hdquantiles

    probabilities = [0.25, 0.5, 0.75]
    expected = [float(value) for value in hdquantiles(numpy.asarray(values, dtype=float), prob=probabilities)]
    assert harrell_davis(values, probabilities) == expected
    assert harrell_davis(values, [0.5]) == expected[1:2]


@given(st.lists(st.integers(0, 20).map(lambda value: value * 5.0), min_size=1, max_size=40), st.integers(0, 20))
def test_the_percentile_counts_lower_peers_and_half_the_equal_ones(peers, step):
    value = step * 5.0
    below = sum(1 for peer in peers if peer < value)
    equal = sum(1 for peer in peers if peer == value)
    assert percentile_rank(value, peers) == 100 * (below + equal / 2) / len(peers)
    assert percentile_rank(value, []) is None
