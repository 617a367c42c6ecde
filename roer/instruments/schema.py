"""The shape of an instrument file, as immutable pydantic models.

An instrument is data: pillars, dimensions and items with a self-wording (directors) and an
others-wording (everyone who rates the directors), each in Dutch and English. This module knows nothing of
Django models; `loader.py` turns a file into an `InstrumentDefinition` and reports every problem with its
place in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Perspective = Literal["self", "others"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A text in both of Roer's languages; neither may be missing or empty."""

    nl: NonEmpty
    en: NonEmpty

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nl


class Item(_Frozen):
    code: Code
    self_text: Text = Field(alias="self")
    others_text: Text = Field(alias="others")
    reverse: bool = False

    def text(self, perspective: Perspective) -> Text:
        return self.self_text if perspective == "self" else self.others_text


class Dimension(_Frozen):
    code: Code
    name: Text
    items: tuple[Item, ...] = Field(min_length=2, max_length=12)


class Pillar(_Frozen):
    code: Code
    name: Text
    description: Text
    dimensions: tuple[Dimension, ...] = Field(min_length=1, max_length=10)


class Scale(_Frozen):
    points: int = Field(ge=3, le=11)
    labels: tuple[Text, ...]
    dont_know: Text

    @model_validator(mode="after")
    def _one_label_per_point(self) -> Scale:
        if len(self.labels) != self.points:
            raise PydanticCustomError(
                "label_count",
                "{points} labels expected, one per point of the scale; found {found}",
                {"points": self.points, "found": len(self.labels)},
            )
        return self


class ReferenceQuestion(_Frozen):
    """A question put to the directors whose answer is shown beside a figure from the source article."""

    code: Code
    text: Text
    reference_percentage: int = Field(ge=0, le=100)
    reference_label: Text


class OpenQuestion(_Frozen):
    code: Code
    self_text: Text = Field(alias="self")
    others_text: Text = Field(alias="others")

    def text(self, perspective: Perspective) -> Text:
        return self.self_text if perspective == "self" else self.others_text


class Source(_Frozen):
    title: NonEmpty
    author: NonEmpty | None = None
    note: Text


class InstrumentDefinition(_Frozen):
    code: Code
    version: int = Field(ge=1, le=10_000)
    name: Text
    description: Text
    source: Source
    scale: Scale
    pillars: tuple[Pillar, ...] = Field(min_length=1, max_length=10)
    reference_questions: tuple[ReferenceQuestion, ...] = Field(default=(), max_length=10)
    open_questions: tuple[OpenQuestion, ...] = Field(default=(), max_length=10)

    @model_validator(mode="after")
    def _codes_are_unique(self) -> InstrumentDefinition:
        seen: set[str] = set()
        for code in self._all_codes():
            if code in seen:
                raise PydanticCustomError(
                    "duplicate_code",
                    "the code {code!r} is used more than once; every code must be unique",
                    {"code": code},
                )
            seen.add(code)
        return self

    def _all_codes(self) -> Iterator[str]:
        for pillar in self.pillars:
            yield pillar.code
            for dimension in pillar.dimensions:
                yield dimension.code
                yield from (item.code for item in dimension.items)
        yield from (question.code for question in self.reference_questions)
        yield from (question.code for question in self.open_questions)

    # --- Convenience views used by forms, scoring and results --------------------------------------

    def dimensions(self) -> Iterator[tuple[Pillar, Dimension]]:
        for pillar in self.pillars:
            for dimension in pillar.dimensions:
                yield pillar, dimension

    def items(self) -> Iterator[Item]:
        for _pillar, dimension in self.dimensions():
            yield from dimension.items

    def scaled_codes(self) -> frozenset[str]:
        """Codes that take an answer on the agreement scale: items and reference questions."""
        codes = {item.code for item in self.items()}
        codes.update(question.code for question in self.reference_questions)
        return frozenset(codes)
