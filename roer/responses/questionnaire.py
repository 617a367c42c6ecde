"""How an instrument is laid out as pages for one perspective: one page per pillar, then a closing page."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import InstrumentDefinition, Perspective, Text

DONT_KNOW = "dk"


@dataclass(frozen=True)
class Question:
    code: str
    text: Text


@dataclass(frozen=True)
class DevelopmentQuestion:
    """One development, asked twice: how much the directors know of it, and its expected impact."""

    name: Text
    description: Text
    knowledge: Question
    impact: Question


@dataclass(frozen=True)
class Page:
    number: int
    title: Text | None
    description: Text | None
    scaled: tuple[Question, ...]
    open: tuple[Question, ...]
    developments: tuple[DevelopmentQuestion, ...] = ()

    def scaled_questions(self) -> tuple[Question, ...]:
        """Every question answered on a scale: items, reference questions and both halves of a development."""
        pairs = tuple(
            question for development in self.developments for question in (development.knowledge, development.impact)
        )
        return self.scaled + pairs

    def title_in(self, language: str) -> str:
        if self.title is None:
            return str(_("Finally"))
        return self.title.get(language)


def _developments_page(definition: InstrumentDefinition, perspective: Perspective) -> Page | None:
    developments = definition.developments
    if developments is None:
        return None
    questions = tuple(
        DevelopmentQuestion(
            name=development.name,
            description=development.description,
            knowledge=Question(development.knowledge_code, developments.knowledge_question(perspective)),
            impact=Question(development.impact_code, developments.impact_question),
        )
        for development in developments.items
    )
    return Page(0, developments.name, developments.description, (), (), questions)


def pages_for(definition: InstrumentDefinition, perspective: Perspective) -> tuple[Page, ...]:
    """One page per pillar, the developments radar after the pillar the instrument names, the residents'
    statements as the respondent thinks residents answer them (when the instrument has a residents'
    module), then a closing page with the reference questions (directors only) and the open questions."""
    pages: list[Page] = []
    developments = _developments_page(definition, perspective)
    for pillar in definition.pillars:
        scaled = tuple(
            Question(item.code, item.text(perspective)) for dimension in pillar.dimensions for item in dimension.items
        )
        pages.append(Page(len(pages) + 1, pillar.name, pillar.description, scaled, ()))
        if developments is not None and definition.developments and definition.developments.after_pillar == pillar.code:
            pages.append(replace(developments, number=len(pages) + 1))
    if definition.residents is not None:
        residents = definition.residents
        perceived = tuple(Question(statement.code, statement.perceived) for statement in residents.statements)
        pages.append(Page(len(pages) + 1, residents.perceived_title, residents.perceived_introduction, perceived, ()))
    closing_scaled = (
        tuple(Question(question.code, question.text) for question in definition.reference_questions)
        if perspective == "self"
        else ()
    )
    closing_open = tuple(Question(question.code, question.text(perspective)) for question in definition.open_questions)
    if closing_scaled or closing_open:
        pages.append(Page(len(pages) + 1, None, None, closing_scaled, closing_open))
    return tuple(pages)


_PAGES: dict[tuple[int, str, str], tuple[Page, ...]] = {}


def pages_of(version: InstrumentVersion, perspective: Perspective) -> tuple[Page, ...]:
    """pages_for of a stored version, kept per process: versions never change."""
    key = (version.pk, version.content_hash, perspective)
    pages = _PAGES.get(key)
    if pages is None:
        pages = _PAGES[key] = pages_for(version.parsed, perspective)
    return pages


_POINTS: dict[tuple[int, str], dict[str, int]] = {}


def scale_points_of(version: InstrumentVersion) -> dict[str, int]:
    """The number of scale points of every question answered on a scale, per version."""
    key = (version.pk, version.content_hash)
    points = _POINTS.get(key)
    if points is None:
        definition = version.parsed
        points = dict.fromkeys(definition.scaled_codes(), definition.scale.points)
        if definition.developments:
            for development in definition.developments.items:
                points[development.knowledge_code] = len(definition.developments.knowledge_labels)
                points[development.impact_code] = len(definition.developments.impact_labels)
        _POINTS[key] = points
    return points
