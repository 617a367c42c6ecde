"""The residents' module of an instrument file: what residents want and expect of their municipality.

Residents answer a short survey of their own (about five minutes, plain Dutch at B1 level): statements on
the agreement scale, choice questions (one answer, or several) and open questions. Each statement also
has a *perceived* wording, put to the directors and staff in their own scan ("residents want ..."), so the
results can set what residents expect beside what the organisation thinks they expect: the expectation
gap.

Every resident text is given in Dutch and English, and may carry further languages that the module
declares (`languages`, right-to-left included); a declared language must then be given for every text.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from roer.instruments.texts import Code, NonEmpty, Text
from roer.instruments.texts import Frozen as _Frozen

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z]{2,4})?$")]

BASE_LANGUAGES = ("nl", "en")


class ResidentText(BaseModel):
    """A text for residents: Dutch and English, and any further language the module declares, keyed by
    its code (`tr: ...`, `ar: ...`)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    nl: NonEmpty
    en: NonEmpty

    @model_validator(mode="after")
    def _further_languages_are_text(self) -> ResidentText:
        for code, value in self.further.items():
            if not isinstance(value, str) or not value.strip():
                raise PydanticCustomError("resident_text", "{code}: must be a text that is not empty", {"code": code})
        return self

    @property
    def further(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})

    def get(self, language: str) -> str:
        value = self.further.get(language)
        if isinstance(value, str):
            return value
        return self.en if language.startswith("en") else self.nl


class Language(_Frozen):
    """A language beyond Dutch and English in which residents may answer."""

    code: LanguageCode
    name: NonEmpty  # in the language itself, as the language menu shows it
    direction: Literal["ltr", "rtl"] = "ltr"


class Theme(StrEnum):
    """What a question is about; the results group residents' answers by it."""

    SERVICES = "services"
    CONTACT = "contact"
    TRUST = "trust"
    INCLUSION = "inclusion"
    SATISFACTION = "satisfaction"


class ResidentStatement(_Frozen):
    code: Code
    theme: Theme
    resident: ResidentText
    perceived: Text


class ResidentOption(_Frozen):
    code: Code
    text: ResidentText


class ResidentChoice(_Frozen):
    code: Code
    theme: Theme
    question: ResidentText
    multiple: bool = False
    options: tuple[ResidentOption, ...] = Field(min_length=2, max_length=12)


class ResidentOpenQuestion(_Frozen):
    code: Code
    question: ResidentText


class ResidentScale(_Frozen):
    labels: tuple[ResidentText, ...] = Field(min_length=3, max_length=11)
    dont_know: ResidentText

    @property
    def points(self) -> int:
        return len(self.labels)


class Interface(_Frozen):
    """The words around the questions, so that a further language needs no translation catalogue."""

    start: ResidentText
    submit: ResidentText
    thanks_title: ResidentText
    thanks_text: ResidentText
    already_answered: ResidentText
    code_label: ResidentText
    code_help: ResidentText
    choose_language: ResidentText


class ResidentsModule(_Frozen):
    name: ResidentText
    introduction: ResidentText
    privacy: ResidentText
    interface: Interface
    scale: ResidentScale
    # Shown to directors and staff above the perceived statements in their own scan.
    perceived_title: Text
    perceived_introduction: Text
    statements: tuple[ResidentStatement, ...] = Field(min_length=2, max_length=20)
    choices: tuple[ResidentChoice, ...] = Field(default=(), max_length=10)
    open_questions: tuple[ResidentOpenQuestion, ...] = Field(default=(), max_length=3)
    languages: tuple[Language, ...] = Field(default=(), max_length=20)

    @model_validator(mode="after")
    def _languages_are_complete(self) -> ResidentsModule:
        declared = [language.code for language in self.languages]
        if any(code in BASE_LANGUAGES for code in declared) or len(set(declared)) != len(declared):
            raise PydanticCustomError(
                "resident_languages", "languages: each further language once, and not nl or en", {}
            )
        for place, text in self.texts():
            given = set(text.further)
            if given - set(declared):
                raise PydanticCustomError(
                    "resident_language_unknown",
                    "{place}: language {code} is not declared under residents.languages",
                    {"place": place, "code": sorted(given - set(declared))[0]},
                )
            if set(declared) - given:
                raise PydanticCustomError(
                    "resident_language_missing",
                    "{place}: the text in {code} is missing (every declared language is needed)",
                    {"place": place, "code": sorted(set(declared) - given)[0]},
                )
        return self

    def texts(self) -> Iterator[tuple[str, ResidentText]]:
        """Every text a resident reads, with its place in the file."""
        for name in ("name", "introduction", "privacy"):
            yield f"residents.{name}", getattr(self, name)
        for name in Interface.model_fields:
            yield f"residents.interface.{name}", getattr(self.interface, name)
        for index, label in enumerate(self.scale.labels):
            yield f"residents.scale.labels[{index}]", label
        yield "residents.scale.dont_know", self.scale.dont_know
        for index, statement in enumerate(self.statements):
            yield f"residents.statements[{index}].resident", statement.resident
        for index, choice in enumerate(self.choices):
            yield f"residents.choices[{index}].question", choice.question
            for number, option in enumerate(choice.options):
                yield f"residents.choices[{index}].options[{number}].text", option.text
        for index, question in enumerate(self.open_questions):
            yield f"residents.open_questions[{index}].question", question.question

    def codes(self) -> Iterator[str]:
        yield from (statement.code for statement in self.statements)
        for choice in self.choices:
            yield choice.code
            yield from (f"{choice.code}__{option.code}" for option in choice.options)
        yield from (question.code for question in self.open_questions)

    def answer_codes(self) -> tuple[str, ...]:
        """A resident's packed answers, one byte each in this order (see roer.scoring.packed): statements
        (0 skipped, 1..points, 255 "don't know"), then per choice question either one byte for the option
        chosen (1-based, 0 none) or, for a question with several answers, one byte per option (1 chosen)."""
        codes = [statement.code for statement in self.statements]
        for choice in self.choices:
            if choice.multiple:
                codes += [f"{choice.code}__{option.code}" for option in choice.options]
            else:
                codes.append(choice.code)
        return tuple(codes)

    def direction(self, language: str) -> str:
        return next((item.direction for item in self.languages if item.code == language), "ltr")

    def language_codes(self) -> tuple[str, ...]:
        return (*BASE_LANGUAGES, *(language.code for language in self.languages))

    def statement(self, code: str) -> ResidentStatement:
        return next(statement for statement in self.statements if statement.code == code)

    def choice(self, code: str) -> ResidentChoice:
        return next(choice for choice in self.choices if choice.code == code)
