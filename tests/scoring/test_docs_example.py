"""docs/scoring.md works one example through by hand; this test recomputes it with the real code."""

import pytest

from roer.scoring import (
    DimensionSpec,
    GroupInput,
    InstrumentSpec,
    PillarSpec,
    Summary,
    Suppression,
    respondent_dimension_scores,
    score_scan,
)

RISICOS = DimensionSpec(
    "risicos", ("ris_herkennen", "ris_afwegen", "ris_algoritmen", "ris_overlaten"), frozenset({"ris_overlaten"})
)
SPEC = InstrumentSpec(
    5,
    (PillarSpec("verdiepen", ("ontwikkelingen", "risicos", "kennis", "koers")),),
    (
        DimensionSpec("ontwikkelingen", ("a", "b")),
        RISICOS,
        DimensionSpec("kennis", ("c", "d")),
        DimensionSpec("koers", ("e", "f")),
    ),
)
DK = None
STAFF_ANSWERS = [
    {"ris_herkennen": 4, "ris_afwegen": 5, "ris_algoritmen": 4, "ris_overlaten": 2},
    {"ris_herkennen": 3, "ris_afwegen": DK, "ris_algoritmen": 4, "ris_overlaten": 4},
    {"ris_herkennen": 5, "ris_algoritmen": DK},
    {"ris_herkennen": 2, "ris_afwegen": 2, "ris_algoritmen": 3, "ris_overlaten": 4},
    {"ris_herkennen": 4, "ris_afwegen": 4, "ris_algoritmen": 4, "ris_overlaten": 1},
    {"ris_herkennen": 3, "ris_afwegen": 3, "ris_algoritmen": 3, "ris_overlaten": 3},
    {"ris_herkennen": 5, "ris_afwegen": 4, "ris_algoritmen": DK, "ris_overlaten": 2},
]


def staff_scores():
    return [respondent_dimension_scores(SPEC, answers)["risicos"] for answers in STAFF_ANSWERS]


def test_the_respondent_scores_of_the_table():
    assert staff_scores() == pytest.approx([81.25, 50, None, 31.25, 81.25, 50, 250 / 3])


def test_staff_all_others_and_the_pillar():
    scores = [score for score in staff_scores() if score is not None]
    other = {code: Summary.of([value] * 7) for code, value in (("ontwikkelingen", 55), ("kennis", 70), ("koers", 48))}
    staff = GroupInput("medewerkers", False, 5, 7, {"risicos": Summary.of(scores), **other})
    management = GroupInput(
        "management",
        False,
        5,
        5,
        {"risicos": Summary.of([70, 60, 80, 75, 65]), **{k: Summary.of([50] * 5) for k in other}},
    )
    result = score_scan(SPEC, [staff, management])
    assert result.group("medewerkers").dimensions["risicos"].score == pytest.approx(62.8472, abs=1e-4)
    assert result.group("medewerkers").pillars["verdiepen"] == pytest.approx(58.9618, abs=1e-4)
    assert result.others_view.dimensions["risicos"].score == pytest.approx(66.0985, abs=1e-4)


def test_the_complementary_suppression_of_the_example():
    scores = [score for score in staff_scores() if score is not None]
    staff = GroupInput("medewerkers", False, 5, 7, {"risicos": Summary.of(scores)})
    management = GroupInput("management", False, 5, 5, {"risicos": Summary.of([70, 60, 80, 75, 65])})
    advisers = GroupInput("informatievoorziening", False, 5, 2, {"risicos": Summary.of([40, 45])})
    result = score_scan(SPEC, [staff, management, advisers])
    assert result.group("informatievoorziening").dimensions["risicos"].suppression is Suppression.BELOW_THRESHOLD
    assert result.group("management").dimensions["risicos"].suppression is Suppression.COMPLEMENTARY
    assert result.group("medewerkers").dimensions["risicos"].shown
    assert result.others_view.dimensions["risicos"].n == 13
