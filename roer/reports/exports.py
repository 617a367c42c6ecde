"""Exports for scan managers: aggregated scores, anonymous respondent-level answers, and open answers.

Rows are produced lazily, so a scan with a hundred thousand respondents streams in bounded memory. No
export carries an e-mail address, token, key that leads back to an invitation, or time finer than a day;
respondent rows are shuffled, and a group that may not be shown (below its threshold, or hidden so that
a smaller group cannot be worked out by subtraction) is left out entirely.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from roer.responses.models import Response
from roer.results.open_answers import open_answers
from roer.results.presentation import column_label, ordered_groups
from roer.results.selectors import ScanResults, scan_results
from roer.scans.models import Scan
from roer.scoring import ALL_OTHERS, Cell, Suppression
from roer.scoring.packed import DONT_KNOW as DONT_KNOW_BYTE
from roer.scoring.packed import answer_matrix, dimension_score_matrix

CHUNK = 500
T = TypeVar("T")
DONT_KNOW = "dk"


@dataclass
class Export:
    name: str
    header: list[str]
    rows: Iterator[Sequence[object]]
    # Extra sheets for the spreadsheet version: (title, header, rows).
    sheets: list[tuple[str, list[str], list[Sequence[object]]]] = field(default_factory=list)
    total: int = 0  # the number of rows, for progress


def export_for(scan: Scan, name: str, language: str) -> Export:
    """The named export of a scan whose figures are ready, with texts in the given language (and, for the
    spreadsheet, a sheet on what it is an export of)."""
    if name == "open-answers":
        export = open_answer_export(scan, language)
    else:
        results = scan_results(scan)
        export = aggregated_export(results, language) if name == "scores" else respondent_export(results)
    export.sheets.append(about_sheet(scan))
    return export


def about_sheet(scan: Scan) -> tuple[str, list[str], list[Sequence[object]]]:
    """The scan an export belongs to and its dates, as dates (days only: no time of day is exported)."""
    closed_on = timezone.localdate(scan.closed_at) if scan.closed_at else ""
    rows: list[Sequence[object]] = [
        [_("organisation"), scan.organisation.name],
        [_("scan"), scan.title],
        [_("opens on"), scan.opens_on],
        [_("closes on"), scan.closes_on],
        [_("closed on"), closed_on],
        [_("exported on"), timezone.localdate()],
    ]
    return (_("about"), [_("subject"), _("value")], rows)


def _number(value: float | None, places: int = 4) -> float | str:
    return "" if value is None else round(value, places)


def _note(cell: Cell) -> str:
    if cell.suppression is Suppression.BELOW_THRESHOLD:
        return _("fewer answers than the threshold")
    if cell.suppression is Suppression.COMPLEMENTARY:
        return _("hidden to protect a smaller group")
    return ""


def aggregated_export(results: ScanResults, language: str) -> Export:
    """Per group, pillar, dimension and item: n, mean and sd on the answer scale, and the 0-100 score."""
    definition = results.definition
    points = definition.scale.points
    step = (points - 1) / 100
    reverse = definition.reverse_codes()
    rows: list[Sequence[object]] = []
    for group in ordered_groups(results.insight):
        label = column_label(definition, group.code)
        for pillar in definition.pillars:
            score = group.pillars[pillar.code]
            mean = None if score is None else 1 + score * step
            note = "" if score is not None else _("a dimension of this pillar is not shown")
            rows.append(
                [
                    label,
                    _("pillar"),
                    pillar.code,
                    pillar.name.get(language),
                    group.responses if score is not None else "",  # a hidden figure has no n either
                    _number(mean),
                    "",
                    _number(score),
                    "",
                    note,
                ]
            )
            for dimension in pillar.dimensions:
                cell = group.dimensions[dimension.code]
                mean = None if cell.score is None else 1 + cell.score * step
                sd = None if cell.sd is None else cell.sd * step
                rows.append(
                    [
                        label,
                        _("dimension"),
                        dimension.code,
                        dimension.name.get(language),
                        "" if cell.n is None else cell.n,
                        _number(mean),
                        _number(sd),
                        _number(cell.score),
                        "",
                        _note(cell),
                    ]
                )
                for item in dimension.items:
                    item_cell = results.insight.items.get(group.code, {}).get(item.code)
                    if item_cell is None:
                        continue
                    cell = item_cell
                    # The mean and sd are of the answers as given; the score is keyed (reverse items mirrored).
                    score = cell.score
                    raw_mean = (
                        None
                        if score is None
                        else (1 + score * step if item.code not in reverse else points - score * step)
                    )
                    sd = None if cell.sd is None else cell.sd * step
                    rows.append(
                        [
                            label,
                            _("item"),
                            item.code,
                            item.others_text.get(language),
                            "" if cell.n is None else cell.n,
                            _number(raw_mean),
                            _number(sd),
                            _number(score),
                            _("yes") if item.code in reverse else "",
                            _note(cell),
                        ]
                    )
    header = [
        _("group"),
        _("level"),
        _("code"),
        _("name"),
        "n",
        _("mean (1-%(points)s)") % {"points": points},
        _("sd"),
        _("score (0-100)"),
        _("reverse-keyed"),
        _("note"),
    ]
    return Export("scores", header, iter(rows), total=len(rows))


def exported_keys(results: ScanResults) -> dict[str, set[str]]:
    """Per group, the keys whose answers may appear in its respondent rows: those of the units the group
    is shown on (a dimension with its statements and the dimension score, a development, a reference
    question). A group below its threshold has none, so no rows at all; a unit hidden for a group, below
    its threshold or to protect a smaller group, stays blank in every row of that group, so it can
    neither be rebuilt from the rows nor subtracted from all others."""
    insight = results.insight
    disclosures = [
        disclosure
        for disclosure in (insight.scores.disclosure, insight.development_disclosure, insight.reference_disclosure)
        if disclosure is not None
    ]
    keys: dict[str, set[str]] = {}
    for group in insight.scores.groups:
        if group.code == ALL_OTHERS or not group.shown:
            continue
        shown = {
            key
            for disclosure in disclosures
            for unit in disclosure.units
            if disclosure.decisions.get((group.code, unit.code)) is Suppression.NONE
            for key in unit.keys
        }
        if shown:
            keys[group.code] = shown
    return keys


def _chunks(values: Sequence[T], size: int) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def respondent_export(results: ScanResults, *, shuffle_seed: int | None = None) -> Export:
    """One row per respondent of a shown group, in random order, with answers and dimension scores.

    Left out, so that no row can be picked out: every group below its threshold, every unit hidden for
    the group (see `exported_keys`), the date of submission (beside the dates invitations went out it
    would date each person's answer) and the language of the invitation (the only English speaker of a
    group would be their row)."""
    scan = results.scan
    definition = results.definition
    spec = scan.instrument_version.spec
    allowed = exported_keys(results)
    stored = definition.answer_codes()
    codes = [item.code for item in definition.items()]
    if definition.developments:
        for development in definition.developments.items:
            codes += [development.knowledge_code, development.impact_code]
    codes += [question.code for question in definition.reference_questions]
    column = {code: index for index, code in enumerate(stored)}
    dimensions = [dimension.code for dimension in spec.dimensions]
    responses: list[tuple[str, bytes]] = [
        (kind, bytes(packed))
        for kind, packed in Response.objects.filter(scan=scan, group__kind__in=allowed).values_list(
            "group__kind", "packed_answers"
        )
    ]
    random.Random(shuffle_seed).shuffle(responses)  # noqa: S311 - order only; the seed is for tests
    labels = {kind: column_label(definition, kind) for kind in allowed}
    header = [_("row"), _("group"), *codes, *(f"score:{code}" for code in dimensions)]
    # What each stored byte becomes in a cell: the point of the scale, "dk", or blank when skipped.
    cell_of: list[object] = ["", *range(1, DONT_KNOW_BYTE), DONT_KNOW]
    # Per group, the stored columns and dimension columns it shows; the others stay blank.
    shown_answers = {kind: [column[code] if code in keys else None for code in codes] for kind, keys in allowed.items()}
    shown_scores = {kind: [code in keys for code in dimensions] for kind, keys in allowed.items()}

    def rows() -> Iterator[Sequence[object]]:
        number = 0
        for chunk in _chunks(responses, CHUNK):
            matrix = answer_matrix([packed for _kind, packed in chunk], len(stored))
            scores = dimension_score_matrix(matrix, stored, spec).tolist()
            for (kind, packed), own in zip(chunk, scores, strict=True):
                number += 1
                yield [
                    number,
                    labels[kind],
                    *("" if index is None else cell_of[packed[index]] for index in shown_answers[kind]),
                    *(
                        round(score, 4) if show and score == score else ""  # NaN (no score) is unequal to itself
                        for score, show in zip(own, shown_scores[kind], strict=True)
                    ),
                ]

    return Export("respondents", header, rows(), sheets=[codes_sheet(results)], total=len(responses))


def codes_sheet(results: ScanResults) -> tuple[str, list[str], list[Sequence[object]]]:
    definition = results.definition
    rows: list[Sequence[object]] = []
    reverse = definition.reverse_codes()
    for _pillar, dimension in definition.dimensions():
        for item in dimension.items:
            rows.append(
                [
                    item.code,
                    dimension.code,
                    item.self_text.nl,
                    item.others_text.nl,
                    item.others_text.en,
                    "yes" if item.code in reverse else "",
                ]
            )
    if definition.developments:
        for development in definition.developments.items:
            rows.append([development.knowledge_code, "developments", development.name.nl, "knowledge", "", ""])
            rows.append([development.impact_code, "developments", development.name.nl, "impact", "", ""])
    for question in definition.reference_questions:
        rows.append([question.code, "reference", question.text.nl, "", question.text.en, ""])
    header = ["code", "dimension", "nl (self)", "nl (others)", "en (others)", "reverse-keyed"]
    return (_("codes"), header, rows)


def open_answer_export(scan: Scan, language: str) -> Export:
    """Open answers per question and group, shuffled, without any link to a respondent's other answers."""
    rows: list[Sequence[object]] = []
    for question in open_answers(scan):
        for block in question.groups:
            for text in block.answers:
                rows.append([question.code, question.text.get(language), str(block.group), text])
    return Export("open-answers", [_("code"), _("question"), _("group"), _("answer")], iter(rows), total=len(rows))
