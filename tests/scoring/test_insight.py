"""Gaps, maturity levels, item figures, scale quality, progress and benchmarks, worked out by hand."""

import math

import pytest

from roer.scoring.benchmark import peer_statistics, percentile_rank
from roer.scoring.gaps import GapKind, classify_gap, gap_threshold_score
from roer.scoring.groups import Cell, Suppression
from roer.scoring.items import keyed_percentage_summary, strongest_and_weakest
from roer.scoring.maturity import level_for
from roer.scoring.progress import change_between
from roer.scoring.reliability import scale_quality
from roer.scoring.stats import student_t_cdf, student_t_quantile
from roer.scoring.summary import Summary


def test_a_gap_threshold_can_be_half_a_point_a_share_of_the_scale_or_a_score():
    # half a point on a 5-point scale: 0.5 / 4 * 100 = 12.5
    assert gap_threshold_score(scale_points=5, points=0.5) == 12.5
    # a third of the scale's 5 points = 5/3 points = (5/3) / 4 * 100 = 41.67
    assert gap_threshold_score(scale_points=5, share_of_scale=1 / 3) == pytest.approx(41.6667, abs=1e-4)
    assert gap_threshold_score(scale_points=5, score=10) == 10
    with pytest.raises(ValueError, match="exactly one"):
        gap_threshold_score(scale_points=5, points=0.5, score=10)


def test_self_higher_is_a_blind_spot_and_self_lower_a_hidden_strength():
    assert classify_gap("d", 70, 55, 12.5).kind is GapKind.BLIND_SPOT  # +15
    assert classify_gap("d", 50, 65, 12.5).kind is GapKind.HIDDEN_STRENGTH  # -15
    # exactly the threshold does not exceed it
    assert classify_gap("d", 60, 72.5, 12.5).kind is GapKind.AGREEMENT
    assert classify_gap("d", 70, 55, 12.5).difference == 15
    assert classify_gap("d", None, 55, 12.5) is None


@pytest.mark.parametrize(("score", "level"), [(0, 1), (19.99, 1), (20, 2), (59.9, 3), (60, 4), (80, 5), (100, 5)])
def test_a_score_falls_in_the_band_that_starts_at_or_below_it(score, level):
    assert level_for(score, [0, 20, 40, 60, 80]) == level


def test_item_answers_become_keyed_percentages_exactly():
    # answers 4, 5, 2 -> 75, 100, 25; reverse-keyed -> 2, 1, 4 -> 25, 0, 75
    raw = Summary.of([4, 5, 2])
    straight = keyed_percentage_summary(raw, reverse=False, scale_points=5)
    mirrored = keyed_percentage_summary(raw, reverse=True, scale_points=5)
    assert straight.mean == pytest.approx(Summary.of([75, 100, 25]).mean)
    assert straight.sd == pytest.approx(Summary.of([75, 100, 25]).sd)
    assert mirrored.mean == pytest.approx(Summary.of([25, 0, 75]).mean)
    assert mirrored.total_squares == pytest.approx(Summary.of([25, 0, 75]).total_squares)


def test_the_three_strongest_and_weakest_shown_items():
    def cell(score):
        return Cell(10, score, None, Suppression.NONE if score is not None else Suppression.BELOW_THRESHOLD)

    cells = {"a": cell(80), "b": cell(20), "c": cell(55), "d": cell(90), "e": cell(None), "f": cell(40), "g": cell(70)}
    strongest, weakest = strongest_and_weakest(cells)
    assert [item.code for item in strongest] == ["d", "a", "g"]
    assert [item.code for item in weakest] == ["b", "f", "c"]


def test_cronbachs_alpha_and_item_total_correlations_by_hand():
    rows = [[1, 2, 2], [2, 2, 3], [3, 4, 4], [4, 4, 5]]
    # item variances 5/3, 4/3, 5/3; sum scores 5, 7, 11, 13 with variance 40/3
    # alpha = 3/2 * (1 - (14/3) / (40/3)) = 1.5 * 0.65 = 0.975
    quality = scale_quality(rows)
    assert quality.respondents == 4
    assert quality.alpha == pytest.approx(0.975)
    # item 1 against items 2 + 3 (4, 5, 8, 9): covariance sum 9, squares 5 and 17 -> 9 / sqrt(85)
    assert quality.item_total[0] == pytest.approx(9 / math.sqrt(85))


def test_alpha_agrees_with_a_reference_implementation_to_three_decimals():
    # The reference: alpha from the covariance matrix, k/(k-1) * (1 - trace / sum of all covariances),
    # an algebraically different route from the variance-of-sums formula in the code.
    rows = [[4, 5, 4, 3], [2, 3, 3, 2], [5, 5, 4, 5], [3, 3, 2, 3], [4, 4, 5, 4], [1, 2, 2, 1], [3, 4, 3, 4]]
    k, n = 4, len(rows)
    means = [sum(row[i] for row in rows) / n for i in range(k)]
    cov = [[sum((r[i] - means[i]) * (r[j] - means[j]) for r in rows) / (n - 1) for j in range(k)] for i in range(k)]
    reference = k / (k - 1) * (1 - sum(cov[i][i] for i in range(k)) / sum(sum(row) for row in cov))
    assert round(scale_quality(rows).alpha, 3) == round(reference, 3)


def test_too_few_respondents_give_no_alpha():
    assert scale_quality([[1, 2, 3]]).alpha is None


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062), (2, 4.3027), (4, 2.7764), (10, 2.2281), (30, 2.0423), (120, 1.9799)]
)
def test_the_t_quantile_matches_the_printed_tables(df, expected):
    assert student_t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)
    assert student_t_cdf(expected, df) == pytest.approx(0.975, abs=1e-5)


def test_a_change_carries_a_welch_interval():
    # before 50, 60, 70 (mean 60, sd 10); after 70, 80, 90 (mean 80, sd 10)
    # SE = sqrt(100/3 + 100/3) = 8.165; df = 4; t = 2.7764; margin = 22.67
    change = change_between(Summary.of([50, 60, 70]), Summary.of([70, 80, 90]))
    assert change.difference == 20
    assert change.low == pytest.approx(20 - 2.776445 * math.sqrt(200 / 3), abs=1e-4)
    assert change.high == pytest.approx(20 + 2.776445 * math.sqrt(200 / 3), abs=1e-4)
    assert not change.is_clear  # three people each side: the interval crosses zero


def test_a_large_change_in_large_groups_is_clear():
    before = Summary.of([50, 60, 70] * 20)
    after = Summary.of([70, 80, 90] * 20)
    assert change_between(before, after).is_clear
    assert change_between(Summary.of([50]), after) is None


def test_a_percentile_rank_counts_a_tie_as_half():
    peers = [10, 20, 30, 40, 50]
    stats = peer_statistics(peers)
    assert (stats.n, stats.q1, stats.q3) == (5, None, None)  # quartiles need ten peers
    assert stats.median == pytest.approx(30)  # evenly spaced: the weighted mean is the middle
    assert percentile_rank(35, peers) == 60  # 3 of 5 lower
    assert percentile_rank(30, peers) == 50  # 2 lower and 1 tie: (2 + 0.5) / 5
    assert percentile_rank(5, peers) == 0
