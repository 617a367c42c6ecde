"""The shape of an instrument file, as immutable pydantic models.

An instrument is data: pillars, dimensions and items with a self-wording (directors) and an
others-wording (everyone who rates the directors), each in Dutch and English. This module knows nothing of
Django models; `loader.py` turns a file into an `InstrumentDefinition` and reports every problem with its
place in the file.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from roer.instruments.groups import Group, Groups, Perspective, groups_before_format_2
from roer.instruments.residents import ResidentsModule
from roer.instruments.texts import Code, NonEmpty
from roer.instruments.texts import Frozen as _Frozen
from roer.instruments.texts import Text as Text
from roer.scoring.maturity import level_for

__all__ = ["Group", "InstrumentDefinition", "Perspective"]


class Investment(StrEnum):
    """The source article: digital leadership asks for investment in knowledge, staff and relations."""

    KENNIS = "kennis"
    MEDEWERKERS = "medewerkers"
    RELATIES = "relaties"


class Recommendation(_Frozen):
    nl: NonEmpty
    en: NonEmpty
    investment: Investment

    @property
    def text(self) -> Text:
        return Text(nl=self.nl, en=self.en)


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
    # One description and one recommended next step per maturity level, level 1 first.
    levels: tuple[Text, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()


class Pillar(_Frozen):
    code: Code
    name: Text
    description: Text
    dimensions: tuple[Dimension, ...] = Field(min_length=1, max_length=10)
    levels: tuple[Text, ...] = ()


class MaturityBand(_Frozen):
    level: int = Field(ge=1, le=10)
    starts_at: float = Field(alias="from", ge=0, lt=100)
    name: Text


class GapThreshold(_Frozen):
    """How far the self-view must differ from the others' view to count: state exactly one of these."""

    points: float | None = Field(default=None, gt=0, le=10)
    share_of_scale: float | None = Field(default=None, gt=0, le=1)
    score: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _exactly_one(self) -> GapThreshold:
        if sum(value is not None for value in (self.points, self.share_of_scale, self.score)) != 1:
            raise PydanticCustomError("gap_threshold", "state exactly one of points, share_of_scale or score", {})
        return self


class Development(_Frozen):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
    name: Text
    description: Text

    @property
    def knowledge_code(self) -> str:
        return f"{self.code}__k"

    @property
    def impact_code(self) -> str:
        return f"{self.code}__i"


class Developments(_Frozen):
    """The developments radar: how much the directors know of each development, and its expected impact."""

    name: Text
    description: Text
    after_pillar: Code
    knowledge_self: Text
    knowledge_others: Text
    knowledge_labels: tuple[Text, ...] = Field(min_length=3, max_length=11)
    impact_question: Text
    impact_labels: tuple[Text, ...] = Field(min_length=3, max_length=11)
    quadrant_split: float = Field(default=50, gt=0, lt=100)
    items: tuple[Development, ...] = Field(min_length=2, max_length=20)

    def knowledge_question(self, perspective: Perspective) -> Text:
        return self.knowledge_self if perspective == "self" else self.knowledge_others


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


PLACEHOLDERS = frozenset({"dimension"})
_PLACEHOLDER_RULE = "only the placeholder dimension may stand between braces (a brace of its own is doubled): {text}"


def _check_placeholders(text: str) -> str:
    """Only `{dimension}` may stand in braces (write `{{` for a brace of its own)."""
    try:
        fields = [(name, spec, conversion) for _literal, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError:
        raise PydanticCustomError("conversation_placeholder", _PLACEHOLDER_RULE, {"text": text}) from None
    for name, spec, conversion in fields:
        if name is not None and (name not in PLACEHOLDERS or spec or conversion):
            raise PydanticCustomError("conversation_placeholder", _PLACEHOLDER_RULE, {"text": text})
    return text


QuestionText = Annotated[NonEmpty, AfterValidator(_check_placeholders)]


class Question(_Frozen):
    """A question for the directors' conversation; `{dimension}` stands for the dimension's name."""

    nl: QuestionText
    en: QuestionText

    @property
    def text(self) -> Text:
        return Text(nl=self.nl, en=self.en)

    def filled(self, language: str, dimension: str) -> str:
        return self.text.get(language).format(dimension=dimension)


Questions = Annotated[tuple[Question, ...], Field(min_length=2, max_length=3)]


class GapKindQuestions(_Frozen):
    """Two or three questions for each kind of finding the session discusses."""

    blind_spot: Questions
    hidden_strength: Questions
    weakest: Questions


class DimensionQuestions(_Frozen):
    """Questions of one dimension's own, in place of the general ones for that kind of finding."""

    code: Code
    blind_spot: Questions | None = None
    hidden_strength: Questions | None = None
    weakest: Questions | None = None


class Conversation(GapKindQuestions):
    """The conversation guide of the directors' session. It is guidance and changes nothing that is
    measured, so it is left out of a version's content hash (roer.instruments.services) and may be
    improved in a version already in use."""

    dimensions: tuple[DimensionQuestions, ...] = ()

    def questions(self, kind: str, code: str) -> tuple[Question, ...]:
        """The questions for a finding of `kind` (blind_spot, hidden_strength, weakest) on dimension `code`."""
        own = next((entry for entry in self.dimensions if entry.code == code), None)
        specific: tuple[Question, ...] | None = getattr(own, kind) if own else None
        return specific if specific is not None else getattr(self, kind)

    def texts(self) -> Iterator[tuple[str, Text]]:
        """Every question, with its place in the file."""
        for kind in GapKindQuestions.model_fields:
            for index, question in enumerate(getattr(self, kind)):
                yield f"conversation.{kind}[{index}]", question.text
        for number, entry in enumerate(self.dimensions):
            for kind in GapKindQuestions.model_fields:
                for index, question in enumerate(getattr(entry, kind) or ()):
                    yield f"conversation.dimensions[{number}].{kind}[{index}]", question.text


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
    # Who answers (roer.instruments.groups); a file without this section has the municipal groups of
    # the versions written before files named them.
    groups: Groups | None = None
    # Put to the group with perspective self only; its share of agreement is shown beside the reference.
    reference_questions: tuple[ReferenceQuestion, ...] = Field(default=(), max_length=10)
    open_questions: tuple[OpenQuestion, ...] = Field(default=(), max_length=10)
    gap_threshold: GapThreshold = GapThreshold(points=0.5)
    maturity: tuple[MaturityBand, ...] = ()
    developments: Developments | None = None
    # What residents want and expect, asked in a residents' survey beside a scan (roer.residents).
    residents: ResidentsModule | None = None
    # The directors' session's conversation guide: not hashed, see Conversation. A stored version's guide
    # may change in place, so read it with roer.instruments.selectors.conversation_of, not from `parsed`.
    conversation: Conversation | None = None

    @model_validator(mode="after")
    def _levels_match_the_bands(self) -> InstrumentDefinition:
        bands = len(self.maturity)
        if [band.level for band in self.maturity] != list(range(1, bands + 1)):
            raise PydanticCustomError("maturity_levels", "maturity levels must be numbered 1, 2, 3, ... in order", {})
        starts = [band.starts_at for band in self.maturity]
        if starts and (starts[0] != 0 or any(low >= high for low, high in pairwise(starts))):
            raise PydanticCustomError("maturity_bands", "the first band starts at 0 and each next one higher", {})
        for pillar in self.pillars:
            self._check_count(f"pillar {pillar.code}: levels", len(pillar.levels), bands)
            for dimension in pillar.dimensions:
                self._check_count(f"dimension {dimension.code}: levels", len(dimension.levels), bands)
                self._check_count(f"dimension {dimension.code}: recommendations", len(dimension.recommendations), bands)
        if self.developments and self.developments.after_pillar not in {pillar.code for pillar in self.pillars}:
            raise PydanticCustomError(
                "unknown_pillar",
                "developments.after_pillar names no pillar: {code}",
                {"code": self.developments.after_pillar},
            )
        if self.conversation:
            known = {dimension.code for _pillar, dimension in self.dimensions()}
            named = [entry.code for entry in self.conversation.dimensions]
            for code in named:
                if code not in known or named.count(code) > 1:
                    raise PydanticCustomError(
                        "conversation_dimension",
                        "conversation.dimensions: {code} must name a dimension of this instrument, once",
                        {"code": code},
                    )
        return self

    @staticmethod
    def _check_count(place: str, found: int, expected: int) -> None:
        if found != expected:
            raise PydanticCustomError(
                "level_count",
                "{place}: {expected} expected (one per maturity level), found {found}",
                {"place": place, "expected": expected, "found": found},
            )

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
        if self.developments:
            yield from (development.code for development in self.developments.items)
        if self.residents:
            yield from self.residents.codes()

    # --- Convenience views used by forms, scoring and results --------------------------------------

    def respondent_groups(self) -> tuple[Group, ...]:
        """Who answers, in the order results show them."""
        return self.groups if self.groups is not None else groups_before_format_2()

    def group(self, code: str) -> Group | None:
        return next((group for group in self.respondent_groups() if group.code == code), None)

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
        if self.developments:
            for development in self.developments.items:
                codes.update((development.knowledge_code, development.impact_code))
        codes.update(self.perceived_codes())
        return frozenset(codes)

    def answer_codes(self) -> tuple[str, ...]:
        """Every scaled code in a fixed order (statements, developments, reference questions): the order
        in which a response stores its answers, one byte each (see roer.scoring.packed). Versions are
        immutable, so a version's order never changes."""
        codes = [item.code for item in self.items()]
        if self.developments:
            for development in self.developments.items:
                codes += [development.knowledge_code, development.impact_code]
        codes += [question.code for question in self.reference_questions]
        # Added by version 2 of the file, after everything version 1 stored: an older version's order stays.
        codes += self.perceived_codes()
        return tuple(codes)

    def perceived_codes(self) -> list[str]:
        """The residents' statements as directors and staff answer them: what they think residents expect."""
        return [statement.code for statement in self.residents.statements] if self.residents else []

    def reverse_codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.items() if item.reverse)

    def pillar(self, code: str) -> Pillar:
        return next(pillar for pillar in self.pillars if pillar.code == code)

    def dimension(self, code: str) -> Dimension:
        return next(dimension for _pillar, dimension in self.dimensions() if dimension.code == code)

    def item(self, code: str) -> Item:
        return next(item for item in self.items() if item.code == code)

    def band_for(self, score: float) -> MaturityBand | None:
        """The maturity band a 0-100 score falls in (None when the instrument defines no levels)."""
        if not self.maturity:
            return None
        return self.maturity[level_for(score, [band.starts_at for band in self.maturity]) - 1]
