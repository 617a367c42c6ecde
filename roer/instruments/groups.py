"""Who answers a scan: the respondent groups an instrument file names, each with its perspective.

A group with perspective `self` assesses its own leadership (the items' self wording, the reference
questions); every other group rates that leadership (the others wording). Group, perspective and wording are
the instrument's, so an instrument for healthcare can have a board and care professionals where the municipal
one has directors and staff. Files written before instruments named their groups (the municipal versions 1
and 2) have the four groups in `data/groups-before-format-2.yaml`; their content hash stays as it was.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, Field, StringConstraints, TypeAdapter
from pydantic_core import PydanticCustomError

from roer.instruments.texts import Code, Frozen, Text

Perspective = Literal["self", "others"]
GroupCode = Annotated[Code, StringConstraints(max_length=30)]
Alias = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=60)]

MIN_THRESHOLD = 3
MAX_THRESHOLD = 100
_BEFORE_FORMAT_2 = Path(__file__).parent / "data" / "groups-before-format-2.yaml"


class Group(Frozen):
    code: GroupCode
    name: Text
    perspective: Perspective
    # The anonymity threshold a new scan offers for this group; without one, the installation's default
    # for the perspective (roer.scans.models.default_threshold).
    threshold: int | None = Field(default=None, ge=MIN_THRESHOLD, le=MAX_THRESHOLD)
    # Further words accepted in the group column of an invitee list, beside the code and the names.
    aliases: tuple[Alias, ...] = Field(default=(), max_length=20)
    # The invitation e-mail's sentence on what this group does; without one, the general one of its perspective.
    invitation: Text | None = None

    @property
    def is_self(self) -> bool:
        return self.perspective == "self"


def check_groups(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """Exactly one self-assessing group, at least one that rates it, and every code and alias once."""
    selves = [group.code for group in groups if group.is_self]
    if len(selves) != 1:
        raise PydanticCustomError(
            "group_perspectives",
            "exactly one group must have perspective self (found {count})",
            {"count": len(selves)},
        )
    seen: set[str] = set()
    for group in groups:
        for word in (group.code, *group.aliases):
            if word in seen:
                raise PydanticCustomError(
                    "duplicate_group_word",
                    "'{word}' names more than one group (codes and aliases must be unique)",
                    {"word": word},
                )
            seen.add(word)
    return groups


Groups = Annotated[tuple[Group, ...], Field(min_length=2, max_length=8), AfterValidator(check_groups)]


@cache
def groups_before_format_2() -> tuple[Group, ...]:
    """The groups of an instrument file without a groups section, read once per process."""
    data = yaml.safe_load(_BEFORE_FORMAT_2.read_text(encoding="utf-8"))
    return TypeAdapter(Groups).validate_python(data["groups"])
