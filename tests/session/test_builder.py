"""The session's slides and conversation guide, from the summary's data, with numbers worked out by hand
(tests/session/conftest.py)."""

import pytest

from roer.instruments.selectors import conversation_of
from roer.reports.messages import key_messages
from roer.reports.session import GuideKind, SlideKind, session_for
from roer.results.selectors import scan_results
from roer.scoring.gaps import GapKind

pytestmark = pytest.mark.django_db

CODES = sorted(
    [
        "ontwikkelingen",
        "risicos",
        "kennis",
        "koers",
        "verzamelen",
        "vertrouwen",
        "expertise",
        "impact",
        "ervaringen",
        "inwoners",
    ]
)


def build(scan, language="nl"):
    results = scan_results(scan)
    return session_for(results, key_messages(results), conversation_of(scan.instrument_version), language)


def test_the_slides_follow_the_summary_in_order(closed):
    session = build(closed)
    kinds = [slide.kind for slide in session.slides]
    # 10 blind spots (every dimension: 91.7 against 40) and the three weakest dimensions (all 40, by code)
    assert kinds == [
        SlideKind.TITLE,
        SlideKind.RESPONSE,
        SlideKind.PILLARS,
        SlideKind.STRONGEST,
        SlideKind.WEAKEST_POINTS,
        SlideKind.BLIND_SPOT,
        SlideKind.BENCHMARK,
        SlideKind.PROGRESS,
        SlideKind.REFERENCES,  # the reference questions, unanswered here: "too few directors answered"
        SlideKind.NEXT_STEPS,
        SlideKind.GAPS,
        SlideKind.WEAKEST_DIMENSIONS,
        *[SlideKind.QUESTIONS] * 13,
        SlideKind.FOCUS,
    ]
    assert [slide.number for slide in session.slides] == list(range(1, 27))
    assert session.slide(0).number == 1
    assert session.slide(99).number == 26


def test_the_biggest_gaps_and_the_weakest_dimensions_are_worked_out_by_hand(closed):
    session = build(closed)
    gaps = next(slide for slide in session.slides if slide.kind is SlideKind.GAPS).gaps
    # every dimension differs by 275 / 3 - 40 = 51.67: the first three by code
    assert [gap.code for gap in gaps] == ["ervaringen", "expertise", "impact"]
    assert all(gap.kind is GapKind.BLIND_SPOT for gap in gaps)
    assert gaps[0].self_score == pytest.approx(275 / 3)
    assert gaps[0].others_score == pytest.approx(40)
    assert gaps[0].difference == pytest.approx(275 / 3 - 40)
    weakest = next(slide for slide in session.slides if slide.kind is SlideKind.WEAKEST_DIMENSIONS)
    assert [(level.code, level.score, level.band.level) for level in weakest.levels] == [
        ("ervaringen", 40, 3),
        ("expertise", 40, 3),
        ("impact", 40, 3),
    ]
    assert weakest.levels == session.messages.next_steps  # the summary's own three


def test_the_guide_asks_the_instruments_questions_with_the_dimension_filled_in(closed, instrument_version):
    session = build(closed)
    kinds = [(entry.kind, entry.code) for entry in session.guide]
    assert kinds == [
        *[(GuideKind.BLIND_SPOT, code) for code in CODES],
        (GuideKind.WEAKEST, "ervaringen"),
        (GuideKind.WEAKEST, "expertise"),
        (GuideKind.WEAKEST, "impact"),
    ]
    conversation = instrument_version.parsed.conversation
    first = session.guide[0]
    name = instrument_version.parsed.dimension("ervaringen").name.nl
    assert first.name == name
    assert first.questions == tuple(q.nl.replace("{dimension}", name) for q in conversation.blind_spot)
    assert f"‘{name}’" in first.questions[0]
    assert "{" not in "".join(first.questions)
    # vertrouwen has blind-spot questions of its own in the file
    trust = next(entry for entry in session.guide if entry.code == "vertrouwen")
    assert len(trust.questions) == 2
    assert "proef" in trust.questions[1]
    english = build(closed, "en").guide[0]
    assert english.questions[0].startswith("On ‘")


def test_a_hidden_strength_comes_with_its_own_questions(organisation, instrument_version):
    from tests.helpers import closed_scan_with

    # directors (3) at 25, staff (5) at 75: the others see more than the directors do, everywhere
    scan = closed_scan_with(organisation, instrument_version, {"directie": [2, 2, 2], "medewerkers": [4] * 5})
    session = build(scan)
    hidden = [entry for entry in session.guide if entry.kind is GuideKind.HIDDEN_STRENGTH]
    assert len(hidden) == 10
    assert hidden[0].gap.difference == -50
    assert hidden[0].questions[1] == instrument_version.parsed.conversation.hidden_strength[1].nl


def test_an_instrument_without_a_guide_gives_slides_without_questions(closed):
    results = scan_results(closed)
    session = session_for(results, key_messages(results), None, "nl")
    assert session.guide == ()
    assert SlideKind.QUESTIONS not in [slide.kind for slide in session.slides]
    assert session.slides[-1].kind is SlideKind.FOCUS
