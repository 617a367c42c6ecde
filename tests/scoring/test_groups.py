"""Group scores and anonymity protection, with expected numbers worked out by hand."""

import pytest

from roer.scoring import (
    ALL_OTHERS,
    DimensionSpec,
    GroupInput,
    InstrumentSpec,
    PillarSpec,
    Summary,
    Suppression,
    score_scan,
)

SPEC = InstrumentSpec(
    scale_points=5,
    pillars=(PillarSpec("p1", ("d1", "d2")), PillarSpec("p2", ("d3",))),
    dimensions=(DimensionSpec("d1", ("a", "b")), DimensionSpec("d2", ("c", "d")), DimensionSpec("d3", ("e", "f"))),
)


def group(code, *, threshold=5, is_self=False, **values):
    responses = max(len(v) for v in values.values())
    return GroupInput(code, is_self, threshold, responses, {dim: Summary.of(v) for dim, v in values.items()})


def test_a_group_score_is_the_mean_of_respondent_scores_and_a_pillar_the_mean_of_its_dimensions():
    directie = group("directie", threshold=3, is_self=True, d1=[50, 75, 100], d2=[25, 50, 75], d3=[0, 50, 100])
    scores = score_scan(SPEC, [directie]).self_view
    # d1: (50 + 75 + 100) / 3 = 75; d2: 150 / 3 = 50; d3: 150 / 3 = 50
    assert scores.dimensions["d1"].score == 75
    assert scores.dimensions["d2"].score == 50
    # p1 = (75 + 50) / 2 = 62.5; p2 = 50
    assert scores.pillars == {"p1": 62.5, "p2": 50}


def test_all_others_pools_every_respondent_of_the_other_groups():
    management = group("management", d1=[40, 60, 80, 100, 100, 100], d2=[50] * 6, d3=[50] * 6)
    staff = group("medewerkers", d1=[0, 20, 40, 60, 80], d2=[100] * 5, d3=[0] * 5)
    others = score_scan(SPEC, [management, staff]).others_view
    # d1: (480 + 200) / 11 = 61.818...; d2: (300 + 500) / 11 = 72.727...; d3: 300 / 11 = 27.27...
    assert others.responses == 11
    assert others.dimensions["d1"].score == pytest.approx(680 / 11)
    assert others.dimensions["d2"].score == pytest.approx(800 / 11)
    assert others.pillars["p1"] == pytest.approx((680 / 11 + 800 / 11) / 2)
    assert others.pillars["p2"] == pytest.approx(300 / 11)


def test_a_group_below_its_threshold_shows_no_figure():
    staff = group("medewerkers", d1=[10, 20, 30, 40], d2=[10] * 4, d3=[10] * 4)  # 4 < 5
    scores = score_scan(SPEC, [staff]).group("medewerkers")
    assert not scores.shown
    assert all(cell.score is None for cell in scores.dimensions.values())
    assert scores.dimensions["d1"].suppression is Suppression.BELOW_THRESHOLD
    assert scores.pillars == {"p1": None, "p2": None}


def test_a_cell_with_too_few_scores_is_hidden_even_when_the_group_is_large_enough():
    # six responses, but only four of them answered enough of d2 to get a score
    management = group("management", d1=[50] * 6, d2=[50] * 4, d3=[50] * 6)
    scores = score_scan(SPEC, [management]).group("management")
    assert scores.dimensions["d1"].score == 50
    assert scores.dimensions["d2"].score is None
    # p1 needs d2, so it is hidden too; p2 only needs d3
    assert scores.pillars == {"p1": None, "p2": 50}


def test_the_only_shown_group_is_hidden_when_all_others_would_reveal_a_small_group_by_subtraction():
    management = group("management", d1=[60] * 6, d2=[60] * 6, d3=[60] * 6)
    staff = group("medewerkers", d1=[0] * 4, d2=[0] * 4, d3=[0] * 4)  # 4 < 5: hidden
    result = score_scan(SPEC, [management, staff])
    # all others (10) minus management (6) would give the 4 staff members' mean
    assert result.others_view.dimensions["d1"].score == pytest.approx(36)  # (360 + 0) / 10
    assert result.group("management").dimensions["d1"].suppression is Suppression.COMPLEMENTARY
    assert result.group("management").dimensions["d1"].score is None


def test_complementary_suppression_hides_the_smallest_shown_group_until_the_remainder_is_large_enough():
    management = group("management", d1=[60] * 8, d2=[60] * 8, d3=[60] * 8)
    advisers = group("informatievoorziening", d1=[70] * 5, d2=[70] * 5, d3=[70] * 5)
    staff = group("medewerkers", d1=[0] * 2, d2=[0] * 2, d3=[0] * 2)
    result = score_scan(SPEC, [management, advisers, staff])
    # hidden staff (2) < 5, so the smallest shown group, advisers (5), is hidden too: 2 + 5 = 7 >= 5
    assert result.group("informatievoorziening").dimensions["d1"].suppression is Suppression.COMPLEMENTARY
    assert result.group("management").dimensions["d1"].score == 60
    assert result.others_view.dimensions["d1"].shown


def test_a_hidden_remainder_at_or_above_the_threshold_needs_no_extra_suppression():
    management = group("management", d1=[60] * 6, d2=[60] * 6, d3=[60] * 6)
    advisers = group("informatievoorziening", d1=[70] * 3, d2=[70] * 3, d3=[70] * 3)
    staff = group("medewerkers", d1=[0] * 2, d2=[0] * 2, d3=[0] * 2)
    result = score_scan(SPEC, [management, advisers, staff])
    # advisers (3) and staff (2) are hidden; together 5 >= 5, so management may stay
    assert result.group("management").dimensions["d1"].score == 60


def test_the_directors_are_not_part_of_all_others():
    directie = group("directie", threshold=3, is_self=True, d1=[100] * 3, d2=[100] * 3, d3=[100] * 3)
    staff = group("medewerkers", d1=[0] * 5, d2=[0] * 5, d3=[0] * 5)
    result = score_scan(SPEC, [directie, staff])
    assert result.group(ALL_OTHERS).responses == 5
    assert result.others_view.dimensions["d1"].score == 0
    assert result.self_view.dimensions["d1"].score == 100
