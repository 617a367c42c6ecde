"""Reading invitee lists: addresses pasted from a mail program or a spreadsheet, or a CSV file.

Parsing never stops at the first bad line: every problem is reported with its line number and reason,
duplicates are merged, and the valid lines are returned so they can be kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import translation
from django.utils.translation import gettext as _

from roer.instruments.groups import Group

MAX_LINES = 20_000
_EMAIL_HEADERS = {"email", "e-mail", "emailadres", "e-mailadres", "e-mail address", "email address", "mail"}
_GROUP_HEADERS = {"groep", "group", "doelgroep", "respondentgroep", "respondent group"}
_LANGUAGE_HEADERS = {"taal", "language"}
_LANGUAGES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}
_validate_email = EmailValidator()


@dataclass(frozen=True)
class Invitee:
    line: int
    email: str
    group: str | None = None  # a group code of the instrument; None means "the group chosen in the form"
    language: str | None = None


@dataclass(frozen=True)
class LineProblem:
    line: int
    text: str
    reason: str


@dataclass
class ParsedInvitees:
    invitees: list[Invitee] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    duplicates: int = 0


def _words(text: str) -> str:
    return " ".join(text.strip().lower().split())


@dataclass(frozen=True)
class GroupWords:
    """What the group column of an invitee list may say, for one scan: a group's code, an alias the
    instrument gives it, or its name in Dutch or English (with or without what stands in brackets)."""

    words: Mapping[str, str]  # word: group code, for every group of the instrument
    labels: Mapping[str, str]  # group code: its name in the active language
    available: frozenset[str]  # the codes of the groups this scan has

    @classmethod
    def of(cls, groups: Sequence[Group], available: Iterable[str]) -> GroupWords:
        # The loader lets no word name two groups (roer.instruments.groups.check_groups).
        words = {word: group.code for group in groups for word in group.words()}
        language = translation.get_language() or "nl"
        return cls(words, {group.code: group.name.get(language) for group in groups}, frozenset(available))

    def code_for(self, text: str) -> str | None:
        return self.words.get(_words(text))


def _email_problem(address: str) -> str | None:
    if not address:
        return _("no e-mail address found")
    if len(address) > 254:
        return _("the e-mail address is longer than 254 characters")
    try:
        _validate_email(address)
    except ValidationError:
        return _("%(address)s is not a valid e-mail address") % {"address": address}
    return None


class _Collector:
    """Merges duplicates and records problems while lines are read."""

    def __init__(self, groups: GroupWords) -> None:
        self.groups = groups
        self.result = ParsedInvitees()
        self._seen: dict[str, Invitee] = {}

    def add(self, line: int, text: str, address: str, group_text: str = "", language_text: str = "") -> None:
        address = address.strip().lower()
        problem = _email_problem(address)
        group = None
        language = None
        if problem is None and group_text.strip():
            group = self.groups.code_for(group_text)
            if group is None:
                problem = _("unknown group %(group)s") % {"group": group_text.strip()}
            elif group not in self.groups.available:
                problem = _("this scan has no group %(group)s") % {"group": self.groups.labels[group]}
        if problem is None and language_text.strip():
            language = _LANGUAGES.get(language_text.strip().lower())
            if language is None:
                problem = _("unknown language %(language)s; use nl or en") % {"language": language_text.strip()}
        if problem is not None:
            self.result.problems.append(LineProblem(line, text, problem))
            return
        earlier = self._seen.get(address)
        if earlier is None:
            invitee = Invitee(line=line, email=address, group=group, language=language)
            self._seen[address] = invitee
            self.result.invitees.append(invitee)
        elif earlier.group == group or group is None:
            self.result.duplicates += 1
        else:
            reason = _("this address is also on line %(line)s, in another group; a person answers in one group") % {
                "line": earlier.line
            }
            self.result.problems.append(LineProblem(line, text, reason))


def _too_many_lines(result: ParsedInvitees) -> ParsedInvitees:
    result.problems.append(
        LineProblem(MAX_LINES + 1, "", _("only the first %(max)s lines are read; split the list") % {"max": MAX_LINES})
    )
    return result


def parse_pasted(text: str, *, groups: GroupWords) -> ParsedInvitees:
    """Addresses separated by new lines, commas or semicolons; "Name <address>" is understood too."""
    collector = _Collector(groups)
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            return _too_many_lines(collector.result)
        if not line.strip():
            continue
        # getaddresses keeps a quoted display name such as "Jansen, Jan" <jan@...> together.
        addresses = getaddresses([re.sub(r"[;\t]", ",", line)])
        parts = [part.strip() for part in re.split(r"[;,\t]", line) if part.strip()]
        if not any(address for _name, address in addresses):
            addresses = [("", part) for part in parts]
        for _name, address in addresses:
            if address:
                collector.add(number, line.strip(), address)
    return collector.result


def decode_upload(data: bytes) -> str | None:
    """Text from an uploaded file: UTF-8 (with or without BOM), else Windows-1252 as Excel saves it."""
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _columns(header: list[str]) -> tuple[int, int | None, int | None] | None:
    names = [cell.strip().lower() for cell in header]
    email = next((index for index, name in enumerate(names) if name in _EMAIL_HEADERS), None)
    if email is None:
        return None
    group = next((index for index, name in enumerate(names) if name in _GROUP_HEADERS), None)
    language = next((index for index, name in enumerate(names) if name in _LANGUAGE_HEADERS), None)
    return email, group, language


def parse_csv(text: str, *, groups: GroupWords) -> ParsedInvitees:
    """A CSV with a header naming the e-mail column (and optionally group and language), or without a
    header: e-mail, group, language. Comma, semicolon and tab separators are all recognised."""
    collector = _Collector(groups)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    columns: tuple[int, int | None, int | None] = (0, 1, 2)
    try:
        for row in reader:
            number = reader.line_num
            if number > MAX_LINES:
                return _too_many_lines(collector.result)
            if not any(cell.strip() for cell in row):
                continue
            if number == 1 and (header := _columns(row)) is not None:
                columns = header
                continue
            email_at, group_at, language_at = columns

            def cell(index: int | None, row: list[str] = row) -> str:
                return row[index] if index is not None and index < len(row) else ""

            collector.add(number, ", ".join(row), cell(email_at), cell(group_at), cell(language_at))
    except csv.Error as error:
        collector.result.problems.append(
            LineProblem(reader.line_num, "", _("the file cannot be read as CSV: %(error)s") % {"error": error})
        )
    return collector.result
