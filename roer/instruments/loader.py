"""Read an instrument file and validate it, naming the file, the line and the place of every problem.

A problem reads like `digitaal-leiderschap-v1.yaml, line 42 (pillars[1].dimensions[0].items[2].others.en):
this field is required`. YAML aliases are refused (they allow "billion laughs" memory bombs and an
instrument never needs them), and so are duplicate keys, which YAML would otherwise silently overwrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from roer.instruments.readability import b1_findings
from roer.instruments.schema import InstrumentDefinition

MAX_FILE_BYTES = 512 * 1024

# pydantic's error types, in words a person writing an instrument understands.
_MESSAGES: Mapping[str, str | Promise] = {
    "missing": gettext_lazy("this field is required"),
    "extra_forbidden": gettext_lazy("unknown field; check its spelling and indentation"),
    "string_type": gettext_lazy("must be text (put it between quotes if YAML reads it as something else)"),
    "string_too_short": gettext_lazy("must not be empty"),
    "string_too_long": gettext_lazy("is too long: at most %(max_length)s characters"),
    "string_pattern_mismatch": gettext_lazy(
        "must be a code of at most 40 lower-case letters, digits and underscores, starting with a letter"
    ),
    "int_type": gettext_lazy("must be a whole number"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "greater_than_equal": gettext_lazy("must be at least %(ge)s"),
    "less_than_equal": gettext_lazy("must be at most %(le)s"),
    "too_short": gettext_lazy("needs at least %(min_length)s entries"),
    "too_long": gettext_lazy("may have at most %(max_length)s entries"),
    "bool_type": gettext_lazy("must be true or false"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "tuple_type": gettext_lazy("must be a list"),
    "list_type": gettext_lazy("must be a list"),
    "model_type": gettext_lazy("must be a mapping of named fields"),
    "model_attributes_type": gettext_lazy("must be a mapping of named fields"),
    "dict_type": gettext_lazy("must be a mapping of named fields"),
    "duplicate_code": gettext_lazy("the code %(code)s is used more than once; every code must be unique"),
    "label_count": gettext_lazy("%(points)s labels expected, one per point of the scale; found %(found)s"),
    "gap_threshold": gettext_lazy("state exactly one of points, share_of_scale or score"),
    "maturity_levels": gettext_lazy("maturity levels must be numbered 1, 2, 3, ... in order"),
    "maturity_bands": gettext_lazy("the first band starts at 0 and each next one starts higher"),
    "unknown_pillar": gettext_lazy("after_pillar names no pillar of this instrument: %(code)s"),
    "level_count": gettext_lazy("%(place)s: %(expected)s expected, one per maturity level; found %(found)s"),
    "enum": gettext_lazy("must be one of: %(expected)s"),
    "resident_text": gettext_lazy("%(code)s: must be a text that is not empty"),
    "resident_languages": gettext_lazy("languages: name each further language once, and not nl or en"),
    "resident_language_unknown": gettext_lazy(
        "%(place)s: the language %(code)s is not declared under residents.languages"
    ),
    "resident_language_missing": gettext_lazy(
        "%(place)s: the text in %(code)s is missing (every declared language is needed in every text)"
    ),
    "conversation_placeholder": gettext_lazy(
        "only {dimension} may stand between braces (write {{ or }} for a brace of its own): %(text)s"
    ),
    "conversation_dimension": gettext_lazy(
        "conversation.dimensions: %(code)s must name a dimension of this instrument, and only once"
    ),
    "float_type": gettext_lazy("must be a number"),
    "float_parsing": gettext_lazy("must be a number"),
    "greater_than": gettext_lazy("must be more than %(gt)s"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
}


@dataclass(frozen=True)
class Problem:
    location: str
    line: int | None
    message: str


class InstrumentFileError(Exception):
    """An instrument file that cannot be loaded, with every problem found in it."""

    def __init__(self, source_name: str, problems: list[Problem]) -> None:
        self.source_name = source_name
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Each problem as "file, line N (where): what"."""
        return [self._describe_one(problem) for problem in self.problems]

    def _describe_one(self, problem: Problem) -> str:
        where = self.source_name
        if problem.line is not None:
            where = _("%(file)s, line %(line)s") % {"file": where, "line": problem.line}
        if problem.location:
            where = f"{where} ({problem.location})"
        return f"{where}: {problem.message}"


class _StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in an instrument file", event.start_mark
            )
        return super().compose_node(parent, index)


Location = tuple[str | int, ...]


def _index_lines(node: yaml.Node, location: Location, lines: dict[Location, int], problems: list[Problem]) -> None:
    """Record the line of every node by its path, and report duplicate keys."""
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        format_location((*location, key)),
                        key_node.start_mark.line + 1,
                        _("this key appears more than once in the same place"),
                    )
                )
            seen.add(key)
            _index_lines(value_node, (*location, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _index_lines(child, (*location, index), lines, problems)


def format_location(location: Location) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _line_for(location: Location, lines: Mapping[Location, int]) -> int | None:
    """The line of the place itself or, for a missing field, of the nearest enclosing one."""
    for length in range(len(location), -1, -1):
        if location[:length] in lines:
            return lines[location[:length]]
    return None


def _message_for(error: Mapping[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return str(error["msg"])
    return str(template) % dict((error.get("ctx") or {}).items())


def _without_echoes(details: list[Any]) -> list[Any]:
    """pydantic also reports a list as too short when its entries failed; only the entries matter then."""
    locations = [tuple(detail["loc"]) for detail in details]

    def has_children(location: Location) -> bool:
        return any(len(other) > len(location) and other[: len(location)] == location for other in locations)

    return [detail for detail in details if not (detail["type"] == "too_short" and has_children(tuple(detail["loc"])))]


def parse_instrument(text: str, *, source_name: str) -> InstrumentDefinition:
    """Validate instrument text; raise InstrumentFileError listing every problem found."""
    loader = None
    try:
        loader = _StrictSafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise InstrumentFileError(source_name, [Problem("", None, _("the file is empty"))])
        lines: dict[Location, int] = {}
        problems: list[Problem] = []
        _index_lines(node, (), lines, problems)
        if problems:
            raise InstrumentFileError(source_name, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        detail = error.problem or error.context or ""
        raise InstrumentFileError(
            source_name, [Problem("", line, _("this is not valid YAML: %(detail)s") % {"detail": detail})]
        ) from None
    except yaml.YAMLError as error:
        raise InstrumentFileError(
            source_name, [Problem("", None, _("this is not valid YAML: %(detail)s") % {"detail": error})]
        ) from None
    except RecursionError:
        # thousands of nested brackets or dashes: the composer recurses per level; an instrument has six
        message = _("the file is nested far deeper than an instrument file is")
        raise InstrumentFileError(source_name, [Problem("", None, message)]) from None
    finally:
        if loader is not None:
            loader.dispose()

    try:
        return InstrumentDefinition.model_validate(data)
    except ValidationError as error:
        details = _without_echoes(error.errors())
        problems = [
            Problem(format_location(tuple(detail["loc"])), _line_for(tuple(detail["loc"]), lines), _message_for(detail))
            for detail in details
        ]
        raise InstrumentFileError(source_name, problems) from None


def read_instrument_bytes(content: bytes, *, source_name: str) -> tuple[InstrumentDefinition, str]:
    if len(content) > MAX_FILE_BYTES:
        message = _("the file is larger than %(limit)s kB") % {"limit": MAX_FILE_BYTES // 1024}
        raise InstrumentFileError(source_name, [Problem("", None, message)])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        message = _("the file is not UTF-8 text (byte %(position)s)") % {"position": error.start}
        raise InstrumentFileError(source_name, [Problem("", None, message)]) from None
    return parse_instrument(text, source_name=source_name), text


def read_instrument_file(path: Path) -> tuple[InstrumentDefinition, str]:
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit: enough to know the file is too large without reading it all.
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        message = _("the file cannot be read: %(reason)s") % {"reason": error.strerror or error}
        raise InstrumentFileError(str(path), [Problem("", None, message)]) from None
    return read_instrument_bytes(content, source_name=path.name)


_FINDINGS: Mapping[str, str | Promise] = {
    "long_sentence": gettext_lazy("this sentence has %(value)s words; for B1 keep it under 20: %(sentence)s"),
    "hard_sentence": gettext_lazy(
        "this sentence is probably too hard for B1 (Flesch-Douma reading ease %(value)s, aim for 50 or more): "
        "%(sentence)s"
    ),
    "long_word": gettext_lazy("the word %(sentence)s has %(value)s syllables; a shorter word reads easier at B1"),
}


def _lines_of(text: str) -> dict[Location, int]:
    loader = _StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Location, int] = {}
        if node is not None:
            _index_lines(node, (), lines, [])
        return lines
    finally:
        loader.dispose()


# A conversation question is measured with a short name in place of {dimension}: the names are the
# instrument's own texts, written for directors, not part of the question.
_DIMENSION_STAND_IN = "dit"


def _plain_texts(definition: InstrumentDefinition) -> Iterator[tuple[str, str]]:
    """The Dutch texts that must read at B1: the residents' texts and the conversation guide's questions."""
    if definition.residents is not None:
        for place, resident_text in definition.residents.texts():
            yield place, resident_text.nl
    if definition.conversation is not None:
        for place, question in definition.conversation.texts():
            yield place, question.nl.replace("{dimension}", _DIMENSION_STAND_IN)


def instrument_warnings(definition: InstrumentDefinition, text: str) -> list[Problem]:
    """What a loaded file should still improve, without refusing it: the residents' Dutch texts and the
    conversation questions that are probably harder than B1, each with its line."""
    found = list(_plain_texts(definition))
    if not found:
        return []
    lines = _lines_of(text)
    warnings = []
    for place, dutch in found:
        location: Location = tuple(
            int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", f"{place}.nl") if part
        )
        for finding in b1_findings(dutch):
            message = _FINDINGS[finding.kind] % {"value": f"{finding.value:g}", "sentence": finding.sentence}
            warnings.append(Problem(f"{place}.nl", _line_for(location, lines), str(message)))
    return warnings


INSTRUMENT_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_INSTRUMENT = INSTRUMENT_DIR / "digitaal-leiderschap-v2.yaml"
