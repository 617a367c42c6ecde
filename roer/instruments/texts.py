"""The building blocks every part of an instrument file shares: codes, texts and frozen models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A text in both of Roer's languages; neither may be missing or empty."""

    nl: NonEmpty
    en: NonEmpty

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nl
