import math

import pytest

from roer.scoring import Summary, share_agreeing


def test_it_computes_mean_and_sample_sd():
    # values 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5; squared deviations sum to 32; sd = sqrt(32 / 7)
    summary = Summary.of([2, 4, 4, 4, 5, 5, 7, 9])
    assert summary.n == 8
    assert summary.mean == 5
    assert summary.sd == pytest.approx(math.sqrt(32 / 7))


def test_summaries_add_up_exactly():
    assert Summary.of([1, 2]) + Summary.of([3]) == Summary.of([1, 2, 3])


def test_an_empty_summary_has_no_mean_and_one_value_no_sd():
    assert Summary().mean is None
    assert Summary.of([50]).sd is None


def test_share_agreeing_counts_4_and_5_among_those_who_answered():
    # 5 and 4 agree; 3 and 2 do not; "don't know" is left out: 2 of 4 = 50%
    assert share_agreeing([5, 4, 3, None, 2], 5) == (4, 50.0)
    assert share_agreeing([None, None], 5) == (0, None)
