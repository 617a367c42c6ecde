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
from roer.scoring import ALL_OTHERS

Perspective = Literal["self", "others"]
GroupCode = Annotated[Code, StringConstraints(max_length=30)]
Alias = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=60)]

# Keys the figures use beside the groups' own: a group may not take one ("all others together" is the pool).
RESERVED_CODES = frozenset({ALL_OTHERS})
MIN_THRESHOLD = 3
MAX_THRESHOLD = 100
_BEFORE_FORMAT_2 = Path(__file__).parent / "data" / "groups-before-format-2.yaml"


class Group(Frozen):
    code: GroupCode
    name: Text
    perspective: Perspective
    # The anonymity threshold a new scan offers for this group; without one, the installation's default
    # for the perspective (roer.scans.models.default_threshold).
    threshold: int | None = Field(default=None, ge=MIN_THRESHOLD, le=MAX_THRESHOLD, strict=True)
    # Further words accepted in the group column of an invitee list, beside the code and the names.
    aliases: tuple[Alias, ...] = Field(default=(), max_length=20)
    # The invitation e-mail's sentence on what this group does; without one, the general one of its perspective.
    invitation: Text | None = None

    @property
    def is_self(self) -> bool:
        return self.perspective == "self"

    def words(self) -> list[str]:
        """What an invitee list may write for this group: its code, its aliases, and its name in Dutch and in
        English, with or without what stands in brackets; lower case, single spaces."""
        names = (self.name.nl, self.name.en)
        found = [self.code, *self.aliases, *names, *(name.split(" (")[0] for name in names)]
        return list(dict.fromkeys(" ".join(word.lower().split()) for word in found))


def check_groups(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """Exactly one self-assessing group, at least one that rates it, no reserved code, and every word an
    invitee list may use (code, alias, name) naming one group only."""
    selves = [group.code for group in groups if group.is_self]
    if len(selves) != 1:
        raise PydanticCustomError(
            "group_perspectives",
            "exactly one group must have perspective self (found {count})",
            {"count": len(selves)},
        )
    seen: dict[str, str] = {}
    for group in groups:
        if group.code in RESERVED_CODES:
            raise PydanticCustomError(
                "reserved_group_code", "'{code}' is reserved by Roer; give the group another code", {"code": group.code}
            )
        for word in group.words():
            if seen.setdefault(word, group.code) != group.code:
                raise PydanticCustomError(
                    "duplicate_group_word",
                    "'{word}' names more than one group (codes, aliases and names must each name one group)",
                    {"word": word},
                )
    return groups


Groups = Annotated[tuple[Group, ...], Field(min_length=2, max_length=8), AfterValidator(check_groups)]


@cache
def groups_before_format_2() -> tuple[Group, ...]:
    """The groups of an instrument file without a groups section, read once per process."""
    data = yaml.safe_load(_BEFORE_FORMAT_2.read_text(encoding="utf-8"))
    return TypeAdapter(Groups).validate_python(data["groups"])
