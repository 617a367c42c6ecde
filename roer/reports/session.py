"""The directors' session: the summary's key messages as slides, one message per screen, and a
conversation guide from the gaps.

Nothing is computed here that the summary does not already hold: every figure on a slide is one of the
ScanResults or the KeyMessages the summary prints, so what the disclosure rule hides there is hidden
here. The texts are the templates' (roer/web/templates/session/); this module only decides the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from roer.instruments.schema import Conversation
from roer.reports.messages import KeyMessages
from roer.results.insight import Level
from roer.results.selectors import ScanResults
from roer.scoring.gaps import Gap, GapKind

BIGGEST_GAPS = 3


class SlideKind(StrEnum):
    TITLE = "title"
    RESPONSE = "response"
    # one for each key message of the summary, in its order
    PILLARS = "pillars"
    STRONGEST = "strongest"
    WEAKEST_POINTS = "weakest_points"
    BLIND_SPOT = "blind_spot"
    BENCHMARK = "benchmark"
    PROGRESS = "progress"
    REFERENCES = "references"
    NEXT_STEPS = "next_steps"
    # then the session's own
    GAPS = "gaps"
    WEAKEST_DIMENSIONS = "weakest_dimensions"
    RESIDENTS = "residents"
    QUESTIONS = "questions"
    FOCUS = "focus"


class GuideKind(StrEnum):
    BLIND_SPOT = "blind_spot"
    HIDDEN_STRENGTH = "hidden_strength"
    WEAKEST = "weakest"


@dataclass(frozen=True)
class GuideEntry:
    """One finding to talk about, with its questions (the dimension's name filled in)."""

    kind: GuideKind
    code: str
    name: str
    questions: tuple[str, ...]
    gap: Gap | None = None
    level: Level | None = None


@dataclass(frozen=True)
class Slide:
    number: int
    kind: SlideKind
    gaps: tuple[Gap, ...] = ()
    levels: tuple[Level, ...] = ()
    entry: GuideEntry | None = None


@dataclass(frozen=True)
class Session:
    messages: KeyMessages
    slides: tuple[Slide, ...]
    guide: tuple[GuideEntry, ...]
    has_conversation: bool

    def slide(self, number: int) -> Slide:
        """Slide `number` (1 is the first), the nearest one when out of range."""
        return self.slides[min(max(number, 1), len(self.slides)) - 1]


def biggest_gaps(results: ScanResults) -> tuple[Gap, ...]:
    """The blind spots and hidden strengths that differ most, either way."""
    gaps = [gap for gap in results.insight.gaps if gap.kind is not GapKind.AGREEMENT]
    return tuple(sorted(gaps, key=lambda gap: (-abs(gap.difference), gap.code))[:BIGGEST_GAPS])


def conversation_guide(
    results: ScanResults, messages: KeyMessages, conversation: Conversation | None, language: str
) -> tuple[GuideEntry, ...]:
    """Every blind spot (largest first), every hidden strength (largest first) and the summary's weakest
    dimensions (its next steps), each with its two or three questions."""
    if conversation is None:
        return ()
    definition = results.definition
    gaps = results.insight.gaps
    blind = sorted((g for g in gaps if g.kind is GapKind.BLIND_SPOT), key=lambda g: (-g.difference, g.code))
    hidden = sorted((g for g in gaps if g.kind is GapKind.HIDDEN_STRENGTH), key=lambda g: (g.difference, g.code))
    by_code = {gap.code: gap for gap in gaps}

    def entry(kind: GuideKind, code: str, gap: Gap | None, level: Level | None) -> GuideEntry:
        name = definition.dimension(code).name.get(language)
        questions = tuple(question.filled(language, name) for question in conversation.questions(kind.value, code))
        return GuideEntry(kind, code, name, questions, gap, level)

    return (
        *(entry(GuideKind.BLIND_SPOT, gap.code, gap, None) for gap in blind),
        *(entry(GuideKind.HIDDEN_STRENGTH, gap.code, gap, None) for gap in hidden),
        *(entry(GuideKind.WEAKEST, level.code, by_code.get(level.code), level) for level in messages.next_steps),
    )


def session_for(
    results: ScanResults, messages: KeyMessages, conversation: Conversation | None, language: str
) -> Session:
    guide = conversation_guide(results, messages, conversation, language)
    slides: list[Slide] = []

    def add(kind: SlideKind, **shown: Any) -> None:
        slides.append(Slide(len(slides) + 1, kind, **shown))

    for kind in (SlideKind.TITLE, SlideKind.RESPONSE, SlideKind.PILLARS, SlideKind.STRONGEST):
        add(kind)
    for kind in (SlideKind.WEAKEST_POINTS, SlideKind.BLIND_SPOT, SlideKind.BENCHMARK, SlideKind.PROGRESS):
        add(kind)
    if messages.references:
        add(SlideKind.REFERENCES)
    add(SlideKind.NEXT_STEPS)
    if gaps := biggest_gaps(results):
        add(SlideKind.GAPS, gaps=gaps)
    if messages.next_steps:
        by_code = {gap.code: gap for gap in results.insight.gaps}
        with_gap = tuple(by_code[level.code] for level in messages.next_steps if level.code in by_code)
        add(SlideKind.WEAKEST_DIMENSIONS, levels=messages.next_steps, gaps=with_gap)
    if results.residents is not None and results.residents.ready:
        add(SlideKind.RESIDENTS)
    for entry in guide:
        add(SlideKind.QUESTIONS, entry=entry)
    add(SlideKind.FOCUS)
    return Session(messages=messages, slides=tuple(slides), guide=guide, has_conversation=conversation is not None)
