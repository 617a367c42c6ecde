"""The group codes of the municipal instrument (versions 1 and 2), as tests write them.

The product reads its groups from the instrument (roer.instruments.groups); tests of that instrument name
them with these constants, which are plain strings."""

from enum import StrEnum


class GroupKind(StrEnum):
    DIRECTIE = "directie"
    MANAGEMENT = "management"
    INFORMATIEVOORZIENING = "informatievoorziening"
    MEDEWERKERS = "medewerkers"
