"""How an instrument is laid out as pages for one perspective: one page per pillar, then a closing page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from roer.instruments.schema import InstrumentDefinition, Perspective, Text

DONT_KNOW = "dk"


@dataclass(frozen=True)
class Question:
    code: str
    text: Text


@dataclass(frozen=True)
class Page:
    number: int
    title: Text | None
    description: Text | None
    scaled: tuple[Question, ...]
    open: tuple[Question, ...]

    def title_in(self, language: str) -> str:
        if self.title is None:
            return str(_("Finally"))
        return self.title.get(language)


def pages_for(definition: InstrumentDefinition, perspective: Perspective) -> tuple[Page, ...]:
    pages = [
        Page(
            number=number,
            title=pillar.name,
            description=pillar.description,
            scaled=tuple(
                Question(item.code, item.text(perspective))
                for dimension in pillar.dimensions
                for item in dimension.items
            ),
            open=(),
        )
        for number, pillar in enumerate(definition.pillars, start=1)
    ]
    closing_scaled = (
        tuple(Question(question.code, question.text) for question in definition.reference_questions)
        if perspective == "self"
        else ()
    )
    closing_open = tuple(Question(question.code, question.text(perspective)) for question in definition.open_questions)
    if closing_scaled or closing_open:
        pages.append(Page(len(pages) + 1, None, None, closing_scaled, closing_open))
    return tuple(pages)
