"""Screening an open answer for what could point at a person, before a scan manager publishes it.

Pure functions over text. They find e-mail addresses, phone numbers, Dutch postcodes and name-like
words (a capitalised word inside a sentence, or a word from an invitee's address), and tell the language
of an answer, so that an answer in a language few others in its group wrote can be flagged. They flag;
a person decides. A miss is possible, which is why every answer is reviewed, flagged or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What a scan manager writes in place of the words they take out of an answer.
REDACTION_MARKER = "[…]"


class Flag(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    NAME = "name"
    LANGUAGE = "language"

    @property
    def label(self) -> Promise:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.EMAIL: _("e-mail address"),
    Flag.PHONE: _("telephone number"),
    Flag.POSTCODE: _("postcode"),
    Flag.NAME: _("possibly a name"),
    Flag.LANGUAGE: _("a language few others in this group wrote in"),
}


@dataclass(frozen=True)
class Finding:
    flag: Flag
    start: int
    end: int


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch numbers (06-12345678, 020 123 4567, +31 6 1234 5678) and any other run of eight or more digits
# with spaces, dots or dashes between them.
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s.\-/()]{0,2}\d){7,}(?![\w])")
# Four digits and two capitals (SA, SD and SS are never issued), or two small letters written against
# the digits: "in 2025 en 2026" is not an address.
_POSTCODE = re.compile(r"\b[1-9]\d{3}(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Capitalised words that are not names: the days, months, and terms answers about digital work use.
_COMMON_CAPITALISED = _word_set(
    """
    ik i we wij u jij je zij hij ze het de een en of maar als dan dat dit die er in op aan met voor van
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli
    augustus september oktober november december monday tuesday wednesday thursday friday saturday sunday
    january february march june july august october
    ai ict it cio ciso iv i&a avg ggd vng bzk rijk gemeente gemeenten college raad directie mt teams
    microsoft google excel word outlook sharepoint chatgpt copilot digid nederland europa eu common ground
    """
)

_DUTCH = _word_set(
    """de het een en van is dat niet op te zijn voor met er maar ook als bij nog wel geen naar door om
    dan heeft wordt worden zou kan moet meer onze we wij ze zij hij ik u je dit die deze wat hoe waar
    veel goed beter graag"""
)
_ENGLISH = _word_set(
    """the a an and of that not on to be for with there but also as at still no by about then has
    have are would can must more our we they he i you this these what how where much good better
    please"""
)


def findings(text: str, names: Iterable[str] = (), not_names: Iterable[str] = ()) -> list[Finding]:
    """What in this text could identify a person, in order of place. `names`: words known to be names
    (for instance from the invitees' addresses), matched whole and without regard to case; `not_names`:
    capitalised words that are not (the organisation's own name, for instance)."""
    known = {name.casefold() for name in names if len(name) >= 3}
    common = _COMMON_CAPITALISED | {word.casefold() for word in not_names}
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(flag: Flag, start: int, end: int) -> None:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        found.append(Finding(flag, start, end))

    for match in _EMAIL.finditer(text):
        add(Flag.EMAIL, match.start(), match.end())
    for match in _PHONE.finditer(text):
        add(Flag.PHONE, match.start(), match.end())
    for match in _POSTCODE.finditer(text):
        add(Flag.POSTCODE, match.start(), match.end())
    for match in _WORD.finditer(text):
        word = match.group()
        folded = word.casefold()
        capitalised = _looks_like_a_name(word) and folded not in common
        if folded in known or (capitalised and not _starts_sentence(text, match.start())):
            add(Flag.NAME, match.start(), match.end())
    return sorted(found, key=lambda finding: finding.start)


def _looks_like_a_name(word: str) -> bool:
    return (
        len(word) >= 2 and word[0].isupper() and not word.isupper()  # an abbreviation such as ICT or AVG
    )


def _starts_sentence(text: str, position: int) -> bool:
    return bool(_SENTENCE_END.search(text[:position]))


def language_of(text: str) -> str | None:
    """ "nl" or "en" by their most common words, or None when the text does not tell."""
    words = [word.casefold() for word in _WORD.findall(text)]
    dutch = sum(word in _DUTCH for word in words)
    english = sum(word in _ENGLISH for word in words)
    if dutch == english:
        return None
    return "nl" if dutch > english else "en"


def redaction_keeps_only_original_words(original: str, redacted: str) -> bool:
    """True when `redacted` is `original` with some parts replaced by the marker: a scan manager may take
    words out of an answer, never put words in."""
    position = 0
    for piece in redacted.split(REDACTION_MARKER):
        piece = piece.strip()
        if not piece:
            continue
        found = original.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True
