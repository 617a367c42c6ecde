"""Anonymity, proved on random inputs (Hypothesis): nothing below a threshold is shown, and nothing hidden
can be worked out by subtracting shown groups from "all others together"."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from roer.scoring import ALL_OTHERS, DimensionSpec, GroupInput, InstrumentSpec, PillarSpec, Summary, score_scan

SPEC = InstrumentSpec(
    5,
    (PillarSpec("p1", ("d1", "d2")), PillarSpec("p2", ("d3",))),
    (DimensionSpec("d1", ("a", "b")), DimensionSpec("d2", ("c", "d")), DimensionSpec("d3", ("e", "f"))),
)
DIMENSIONS = ("d1", "d2", "d3")


@st.composite
def groups(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(min_value=1, max_value=5))
    result = []
    if draw(st.booleans()):
        responses = draw(st.integers(0, 12))
        result.append(
            GroupInput(
                "self",
                True,
                draw(st.integers(3, 6)),
                responses,
                {d: Summary(draw(st.integers(0, responses)), 1.0, 1.0) for d in DIMENSIONS},
            )
        )
    for number in range(count):
        responses = draw(st.integers(0, 40))
        dimensions = {}
        for dimension in DIMENSIONS:
            n = draw(st.integers(0, responses))
            dimensions[dimension] = Summary(n, 50.0 * n, 2600.0 * n)
        result.append(GroupInput(f"g{number}", False, draw(st.integers(3, 10)), responses, dimensions))
    return result


@settings(max_examples=400, deadline=None)
@given(groups())
def test_no_shown_figure_rests_on_fewer_people_than_its_threshold(inputs):
    scores = score_scan(SPEC, inputs)
    for group in scores.groups:
        for cell in group.dimensions.values():
            if cell.shown:
                assert cell.n >= group.threshold
                assert group.responses >= group.threshold


@settings(max_examples=400, deadline=None)
@given(groups())
def test_what_can_be_subtracted_from_all_others_is_nothing_or_at_least_a_threshold(inputs):
    scores = score_scan(SPEC, inputs)
    total = scores.group(ALL_OTHERS)
    if total is None:
        return
    others = [group for group in scores.groups if not group.is_self and group.code != ALL_OTHERS]
    for dimension in DIMENSIONS:
        if not total.dimensions[dimension].shown:
            continue
        shown = [g for g in others if g.dimensions[dimension].shown]
        hidden = [g for g in others if not g.dimensions[dimension].shown and g.dimensions[dimension].n > 0]
        remainder = total.dimensions[dimension].n - sum(g.dimensions[dimension].n for g in shown)
        assert remainder == sum(g.dimensions[dimension].n for g in hidden)
        if remainder:
            assert remainder >= max(g.threshold for g in hidden)
        # the rule for two nested groups shown together: their difference is 0 or at least the threshold
        for group in shown:
            difference = total.dimensions[dimension].n - group.dimensions[dimension].n
            assert difference == 0 or difference >= min(g.threshold for g in others)


@settings(max_examples=300, deadline=None)
@given(groups())
def test_a_pillar_is_only_shown_when_every_dimension_of_it_is(inputs):
    for group in score_scan(SPEC, inputs).groups:
        for pillar in SPEC.pillars:
            if group.pillars[pillar.code] is not None:
                assert all(group.dimensions[code].shown for code in pillar.dimension_codes)
