"""What a director reads, computed from hand-made figures (no database): gaps, levels, strongest and
weakest statements, reference questions and the developments radar, with anonymity kept."""

import pytest

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.spec import scoring_spec
from roer.results.figures import Figures, ItemFigure, keyed_items
from roer.results.insight import insight
from roer.scoring import ALL_OTHERS, GroupInput, Summary, Suppression
from roer.scoring.gaps import GapKind
from roer.scoring.groups import GroupShape

DEFINITION, _TEXT = read_instrument_file(DEFAULT_INSTRUMENT)
SPEC = scoring_spec(DEFINITION)
SHAPES = [
    GroupShape("directie", True, 3, 3),
    GroupShape("management", False, 5, 2),  # below its threshold
    GroupShape("medewerkers", False, 5, 6),
]
DIMENSIONS = [dimension.code for _pillar, dimension in DEFINITION.dimensions()]


def item(values, agreeing=0):
    return ItemFigure(Summary.of(values), agreeing)


# Every statement not named below: directors 4, managers 2, staff 3 (each answered by the whole group).
DEFAULTS = {"directie": [4, 4, 4], "management": [2, 2], "medewerkers": [3] * 6}


def with_every_statement(kind, given):  # type: ignore[no-untyped-def]
    return {**{statement.code: item(DEFAULTS[kind]) for statement in DEFINITION.items()}, **given}


def figures():
    named = _named_figures()
    return Figures(
        responses=named.responses,
        dimensions=named.dimensions,
        pillars={},
        items={kind: with_every_statement(kind, given) for kind, given in named.items.items()},
        quality={},
        published={},
    )


def inputs(figures):  # type: ignore[no-untyped-def]
    return [
        GroupInput(
            shape.code,
            shape.is_self,
            shape.threshold,
            shape.responses,
            figures.dimensions[shape.code],
            keyed_items(DEFINITION, figures.items[shape.code]),
        )
        for shape in SHAPES
    ]


def _named_figures():
    return Figures(
        responses={"directie": 3, "management": 2, "medewerkers": 6},
        dimensions={
            "directie": {code: Summary.of([80, 80, 80]) for code in DIMENSIONS},
            "management": {code: Summary.of([20, 20]) for code in DIMENSIONS},
            "medewerkers": {code: Summary.of([50] * 6) for code in DIMENSIONS},
        },
        pillars={},
        items={
            "directie": {
                "ref_verandering": item([5, 4, 2], agreeing=2),
                "ref_vaardigheden": item([4, 4], agreeing=2),  # one director answered "don't know"
                "ai_algoritmen__k": item([5, 5, 5]),
                "ai_algoritmen__i": item([5, 5, 5]),
            },
            "management": {
                "ont_overzicht": item([5, 5]),
                "koe_doelen": item([4, 4]),
                "vtr_ideeen": item([3, 3]),
                "inw_feedback": item([1, 1]),
                "inw_betrekken": item([2, 2]),
                "imp_werk": item([3, 3]),
                "ris_overlaten": item([5, 5]),
                "ai_algoritmen__k": item([1, 1]),
                "ai_algoritmen__i": item([5, 5]),
                "cloud__k": item([5, 5]),
                "cloud__i": item([5, 5]),
            },
            "medewerkers": {
                "ont_overzicht": item([5] * 6),
                "koe_doelen": item([4] * 6),
                "vtr_ideeen": item([4] * 6),
                "inw_feedback": item([1] * 6),
                "inw_betrekken": item([2] * 6),
                "imp_werk": item([2] * 6),
                "ris_overlaten": item([5] * 6),  # reverse-keyed: agreeing fully is the weakest answer
                "ai_algoritmen__k": item([1] * 6),
                "ai_algoritmen__i": item([5] * 6),
                "cloud__k": item([5] * 6),
                "cloud__i": item([5] * 6),
            },
        },
        quality={},
        published={},
    )


@pytest.fixture(scope="module")
def result():
    made = figures()
    return insight(DEFINITION, SPEC, inputs(made), made)


def test_all_others_pools_eight_people_and_hides_staff_so_the_two_managers_stay_hidden(result):
    others = result.scores.others_view
    # (6 x 50 + 2 x 20) / 8 = 42.5
    assert others.dimensions["kennis"].score == 42.5
    assert result.scores.group("management").dimensions["kennis"].suppression is Suppression.BELOW_THRESHOLD
    assert result.scores.group("medewerkers").dimensions["kennis"].suppression is Suppression.COMPLEMENTARY


def test_self_80_against_others_42_5_is_a_blind_spot_of_37_5_points(result):
    assert result.gap_threshold == 12.5
    assert len(result.gaps) == 10
    gap = next(gap for gap in result.gaps if gap.code == "kennis")
    assert gap.kind is GapKind.BLIND_SPOT
    assert gap.difference == 37.5


def test_levels_follow_the_others_view_and_name_the_next_level(result):
    # 42.5 lies in the third band (40 to 60): "Ontwikkelend"; the next is "Gevestigd"
    pillar = result.pillar_levels[0]
    assert (pillar.code, pillar.band.level, pillar.band.name.nl) == ("verdiepen", 3, "Ontwikkelend")
    assert pillar.next_band.name.nl == "Gevestigd"
    assert pillar.description == DEFINITION.pillar("verdiepen").levels[2]
    assert pillar.next_description == DEFINITION.pillar("verdiepen").levels[3]
    kennis = next(level for level in result.dimension_levels if level.code == "kennis")
    assert kennis.recommendation == DEFINITION.dimension("kennis").recommendations[2]
    assert not kennis.based_on_self_view


def test_the_strongest_and_weakest_statements_of_all_others(result):
    # ont_overzicht: all 5 -> 100; koe_doelen: all 4 -> 75; vtr_ideeen: (6 x 75 + 2 x 50) / 8 = 68.75
    assert [(i.code, i.score) for i in result.strongest] == [
        ("ont_overzicht", 100),
        ("koe_doelen", 75),
        ("vtr_ideeen", 68.75),
    ]
    # inw_feedback: all 1 -> 0; ris_overlaten is reverse-keyed, all 5 -> 0; inw_betrekken: all 2 -> 25
    assert [(i.code, i.score) for i in result.weakest] == [
        ("inw_feedback", 0),
        ("ris_overlaten", 0),
        ("inw_betrekken", 25),
    ]


def test_single_statements_of_a_small_group_stay_hidden(result):
    assert result.items["management"]["ont_overzicht"].score is None
    assert result.items["medewerkers"]["ont_overzicht"].suppression is Suppression.COMPLEMENTARY
    assert result.items[ALL_OTHERS]["ont_overzicht"].n == 8


def test_the_reference_share_among_directors_and_its_threshold(result):
    verandering, vaardigheden = result.references
    # 5 and 4 agree, 2 does not: 2 of 3 = 66.7%
    assert verandering.percentage == pytest.approx(200 / 3)
    assert verandering.reference_percentage == 90
    # only two directors answered the second question: below their threshold of 3, so not even its n
    assert (vaardigheden.answered, vaardigheden.shown, vaardigheden.percentage) == (None, False, None)


def test_the_developments_radar_marks_high_impact_and_little_knowledge_as_a_blind_spot(result):
    others = {point.code: point for point in result.developments[ALL_OTHERS]}
    # knowledge: everyone 1 -> 0; impact: everyone 5 -> 100
    assert (others["ai_algoritmen"].knowledge.score, others["ai_algoritmen"].impact.score) == (0, 100)
    assert others["ai_algoritmen"].blind_spot
    assert not others["cloud"].blind_spot
    directors = {point.code: point for point in result.developments["directie"]}
    assert directors["ai_algoritmen"].knowledge.score == 100
    assert not directors["ai_algoritmen"].blind_spot
    staff = {point.code: point for point in result.developments["medewerkers"]}
    assert not staff["ai_algoritmen"].shown  # hidden with the two managers
