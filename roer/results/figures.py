"""Sufficient statistics of a closed scan, computed from the answers once and stored as `ScanFigures`.

Everything a results page, a report or a benchmark needs is in here, per respondent group (by kind):
counts and sums per dimension, per pillar (respondent-level, for confidence intervals), per scaled
question (raw answers, keyed later), and the sums scale quality needs per dimension. Nothing in it
identifies a respondent; the disclosure rule is applied when the figures are read. `published` holds
the others' view as published (dimensions and pillars), which benchmarks and progress read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, Sum

from roer.instruments.schema import InstrumentDefinition
from roer.responses.models import Answer, DimensionScore, Response
from roer.results.models import ScanFigures
from roer.scans.models import GroupKind, RespondentGroup, Scan
from roer.scoring import GroupInput, Summary, score_scan
from roer.scoring.items import keyed_percentage_summary
from roer.scoring.reliability import QualitySums

# Cronbach's alpha is unstable on small samples; below this many complete answers it is not shown.
MIN_RESPONDENTS_FOR_QUALITY = 20


@dataclass(frozen=True)
class ItemFigure:
    raw: Summary  # of the answers as given, 1..points, "don't know" left out
    agreeing: int  # answers above the middle of the scale


@dataclass(frozen=True)
class Figures:
    responses: dict[str, int]
    dimensions: dict[str, dict[str, Summary]]
    pillars: dict[str, dict[str, Summary]]
    items: dict[str, dict[str, ItemFigure]]
    quality: dict[str, dict[str, QualitySums]]  # group kind -> dimension -> sums of complete answers
    published: dict[str, float]  # the others' view as published, per dimension and pillar


def _summary(values: list[float]) -> Summary:
    return Summary(int(values[0]), float(values[1]), float(values[2]))


def _encode(summary: Summary) -> list[float]:
    return [summary.n, summary.total, summary.total_squares]


def parse_figures(data: dict[str, Any]) -> Figures:
    return Figures(
        responses={kind: int(n) for kind, n in data["responses"].items()},
        dimensions={
            kind: {code: _summary(v) for code, v in cells.items()} for kind, cells in data["dimensions"].items()
        },
        pillars={kind: {code: _summary(v) for code, v in cells.items()} for kind, cells in data["pillars"].items()},
        items={
            kind: {code: ItemFigure(_summary(v), int(v[3])) for code, v in cells.items()}
            for kind, cells in data["items"].items()
        },
        quality={
            kind: {
                code: QualitySums(int(q["n"]), tuple(q["sums"]), tuple(tuple(line) for line in q["products"]))
                for code, q in cells.items()
            }
            for kind, cells in data["quality"].items()
        },
        published=dict(data.get("published", {})),
    )


def _respondent_pillars(scan: Scan, definition: InstrumentDefinition) -> dict[str, dict[str, list[float]]]:
    """Each respondent's pillar score (mean of their dimension scores, when they have all of them)."""
    per_response: dict[uuid.UUID, dict[str, float]] = defaultdict(dict)
    kinds: dict[uuid.UUID, str] = {}
    for response_id, kind, dimension, score in DimensionScore.objects.filter(scan=scan).values_list(
        "response_id", "group__kind", "dimension", "score"
    ):
        per_response[response_id][dimension] = score
        kinds[response_id] = kind
    pillars: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for response_id, scores in per_response.items():
        for pillar in definition.pillars:
            codes = [dimension.code for dimension in pillar.dimensions]
            if all(code in scores for code in codes):
                pillars[kinds[response_id]][pillar.code].append(sum(scores[code] for code in codes) / len(codes))
    return pillars


def _quality(scan: Scan, definition: InstrumentDefinition) -> dict[str, dict[str, QualitySums]]:
    """Per group of others and dimension: the sums alpha needs, over respondents who answered every item
    of the dimension (keyed, reverse-keyed items mirrored)."""
    reverse = definition.reverse_codes()
    points = definition.scale.points
    item_codes = [item.code for item in definition.items()]
    answers: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    kinds: dict[uuid.UUID, str] = {}
    rows = Answer.objects.filter(response__scan=scan, code__in=item_codes, value__isnull=False).exclude(
        response__group__kind=GroupKind.DIRECTIE
    )
    for response_id, kind, code, value in rows.values_list("response_id", "response__group__kind", "code", "value"):
        if value is not None:
            answers[response_id][code] = points + 1 - value if code in reverse else value
            kinds[response_id] = kind
    quality: dict[str, dict[str, QualitySums]] = defaultdict(dict)
    for kind in set(kinds.values()):
        mine = [given for response_id, given in answers.items() if kinds[response_id] == kind]
        for _pillar, dimension in definition.dimensions():
            codes = [item.code for item in dimension.items]
            complete = [[given[code] for code in codes] for given in mine if all(c in given for c in codes)]
            quality[kind][dimension.code] = QualitySums.of(complete, len(codes))
    return quality


def keyed_items(definition: InstrumentDefinition, items: dict[str, ItemFigure]) -> dict[str, Summary]:
    """A group's statements as 0-100 scores (reverse-keyed statements mirrored)."""
    reverse = definition.reverse_codes()
    points = definition.scale.points
    statements = {item.code for item in definition.items()}
    return {
        code: keyed_percentage_summary(figure.raw, reverse=code in reverse, scale_points=points)
        for code, figure in items.items()
        if code in statements
    }


def group_inputs(definition: InstrumentDefinition, groups: list[RespondentGroup], figures: Figures) -> list[GroupInput]:
    """What scoring needs of each group: its shape, its dimension sums and its statements' sums."""
    return [
        GroupInput(
            group.kind,
            group.is_self,
            group.threshold,
            figures.responses.get(group.kind, 0),
            figures.dimensions.get(group.kind, {}),
            keyed_items(definition, figures.items.get(group.kind, {})),
        )
        for group in sorted(groups, key=lambda group: group.sort_key)
    ]


def _published_others(scan: Scan, definition: InstrumentDefinition, data: dict[str, Any]) -> dict[str, float]:
    """The others' view per dimension and pillar as the disclosure rule publishes it."""
    figures = parse_figures(data)
    others = score_scan(scan.instrument_version.spec, group_inputs(definition, list(scan.groups.all()), figures))
    view = others.others_view
    if view is None:
        return {}
    published = {code: cell.score for code, cell in view.dimensions.items() if cell.score is not None}
    published.update({code: score for code, score in view.pillars.items() if score is not None})
    return published


def compute_figures(scan: Scan) -> dict[str, Any]:
    definition = scan.instrument_version.parsed
    middle = (definition.scale.points + 1) / 2
    data: dict[str, Any] = {
        "responses": {},
        "dimensions": defaultdict(dict),
        "pillars": {},
        "items": defaultdict(dict),
        "quality": {},
    }
    for kind, n in (
        Response.objects.filter(scan=scan).values("group__kind").annotate(n=Count("id")).values_list("group__kind", "n")
    ):
        data["responses"][kind] = n
    for row in (
        DimensionScore.objects.filter(scan=scan)
        .values("group__kind", "dimension")
        .annotate(n=Count("id"), total=Sum("score"), squares=Sum(F("score") * F("score")))
    ):
        data["dimensions"][row["group__kind"]][row["dimension"]] = [row["n"], row["total"], row["squares"]]
    for row in (
        Answer.objects.filter(response__scan=scan, value__isnull=False)
        .values("response__group__kind", "code")
        .annotate(
            n=Count("value"),
            total=Sum("value"),
            squares=Sum(F("value") * F("value")),
            agreeing=Count("value", filter=Q(value__gt=middle)),
        )
    ):
        data["items"][row["response__group__kind"]][row["code"]] = [
            row["n"],
            row["total"],
            row["squares"],
            row["agreeing"],
        ]
    data["pillars"] = {
        kind: {code: _encode(Summary.of(values)) for code, values in pillars.items()}
        for kind, pillars in _respondent_pillars(scan, definition).items()
    }
    data["quality"] = {
        kind: {
            code: {"n": sums.n, "sums": list(sums.sums), "products": [list(line) for line in sums.products]}
            for code, sums in dimensions.items()
        }
        for kind, dimensions in _quality(scan, definition).items()
    }
    data["published"] = _published_others(scan, definition, data)
    return data


class FiguresNotReadyError(Exception):
    """The scan's figures have not been stored yet (it is open, or closed moments ago)."""


def figures_for(scan: Scan) -> Figures:
    """The stored figures of a scan; they are computed once, by `roer.lifecycle.scan_life.store_figures`.

    Reading never writes: figures stored in an older format are computed again in memory for this
    reader (and `manage.py refresh_figures` stores them anew)."""
    stored = ScanFigures.objects.filter(scan=scan).only("data", "format").first()
    if stored is None:
        raise FiguresNotReadyError(scan.pk)
    if stored.format != ScanFigures.FORMAT:
        return parse_figures(compute_figures(scan))
    return parse_figures(stored.data)


def figures_of(scans: list[Scan]) -> dict[int, Figures]:
    """The stored figures of several scans, in one query (scans without figures are left out)."""
    rows = ScanFigures.objects.filter(scan__in=scans).only("scan_id", "data", "format")
    by_id = {scan.pk: scan for scan in scans}
    return {
        row.scan_id: parse_figures(
            row.data if row.format == ScanFigures.FORMAT else compute_figures(by_id[row.scan_id])
        )
        for row in rows
    }
