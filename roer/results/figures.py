"""Sufficient statistics of a closed scan, computed from the answers once and stored as `ScanFigures`.

Everything a results page, a report or a benchmark needs is in here, per respondent group (by kind):
counts and sums per dimension, per pillar (respondent-level, for confidence intervals), per scaled
question (raw answers, keyed later), and the sums scale quality needs per dimension. Nothing in it
identifies a respondent; the disclosure rule is applied when the figures are read. `published` holds
the others' view as published (dimensions and pillars), which benchmarks and progress read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count

from roer.instruments.schema import InstrumentDefinition
from roer.responses.models import Response
from roer.results.models import ScanFigures
from roer.scans.models import RespondentGroup, Scan
from roer.scoring import GroupInput, InstrumentSpec, Summary, score_scan
from roer.scoring.items import keyed_percentage_summary
from roer.scoring.packed import (
    Matrix,
    answer_matrix,
    answered,
    dimension_score_matrix,
    keyed_columns,
    pillar_score_matrix,
)
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


def _scan_matrix(scan: Scan, codes: tuple[str, ...]) -> tuple[list[str], Matrix]:
    """The group kind of every response and its answers as one row of a matrix, in one query."""
    kinds: list[str] = []
    rows: list[bytes] = []
    for kind, packed in Response.objects.filter(scan=scan).values_list("group__kind", "packed_answers"):
        kinds.append(kind)
        rows.append(bytes(packed))
    return kinds, answer_matrix(rows, len(codes))


def _summary_of(values: npt.NDArray[np.float64]) -> list[float]:
    return [int(values.size), float(values.sum()), float((values * values).sum())]


def _quality(definition: InstrumentDefinition, codes: tuple[str, ...], matrix: Matrix) -> dict[str, QualitySums]:
    """Per dimension, the sums alpha needs over the respondents of `matrix` who answered every statement
    of the dimension (keyed, reverse-keyed statements mirrored)."""
    reverse = definition.reverse_codes()
    points = definition.scale.points
    quality = {}
    for _pillar, dimension in definition.dimensions():
        wanted = [item.code for item in dimension.items]
        keyed, given = keyed_columns(matrix, codes, wanted, reverse, points)
        complete = keyed[given.all(axis=1)].astype(np.float64)
        quality[dimension.code] = QualitySums(
            int(complete.shape[0]),
            tuple(float(total) for total in complete.sum(axis=0)),
            tuple(tuple(float(product) for product in line) for line in complete.T @ complete),
        )
    return quality


def _group_figures(
    definition: InstrumentDefinition, spec: InstrumentSpec, codes: tuple[str, ...], matrix: Matrix
) -> dict[str, Any]:
    """One group's sums: per dimension and pillar over the respondents who have a score on it, per
    scaled question over the points given (with how many agree), and scale quality."""
    middle = (definition.scale.points + 1) / 2
    scores = dimension_score_matrix(matrix, codes, spec)
    pillars = pillar_score_matrix(scores, spec)
    figures: dict[str, Any] = {"dimensions": {}, "pillars": {}, "items": {}}
    for column, dimension in enumerate(spec.dimensions):
        values = scores[:, column]
        values = values[~np.isnan(values)]
        if values.size:
            figures["dimensions"][dimension.code] = _summary_of(values)
    for column, pillar in enumerate(spec.pillars):
        values = pillars[:, column]
        values = values[~np.isnan(values)]
        if values.size:
            figures["pillars"][pillar.code] = _summary_of(values)
    for column, code in enumerate(codes):
        raw = matrix[:, column]
        given = raw[answered(raw)].astype(np.int64)
        if given.size:
            figures["items"][code] = [
                int(given.size),
                int(given.sum()),
                int((given * given).sum()),
                int((given > middle).sum()),
            ]
    figures["any_statement"] = bool(answered(matrix[:, : len(list(definition.items()))]).any())
    return figures


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
    """The scan's sufficient statistics, from one query and a few array operations per group."""
    version = scan.instrument_version
    definition = version.parsed
    codes = definition.answer_codes()
    # Reliability is measured over those who rate the leadership, as the results page reports it.
    self_kinds = {group.code for group in definition.respondent_groups() if group.is_self}
    kinds, matrix = _scan_matrix(scan, codes)
    by_kind = np.array(kinds, dtype=object)
    data: dict[str, Any] = {"responses": {}, "dimensions": {}, "pillars": {}, "items": {}, "quality": {}}
    for kind in sorted(set(kinds)):
        rows = matrix[by_kind == kind]
        data["responses"][kind] = int(rows.shape[0])
        group = _group_figures(definition, version.spec, codes, rows)
        for part in ("dimensions", "pillars", "items"):
            if group[part]:
                data[part][kind] = group[part]
        if kind not in self_kinds and group["any_statement"]:
            data["quality"][kind] = {
                code: {"n": sums.n, "sums": list(sums.sums), "products": [list(line) for line in sums.products]}
                for code, sums in _quality(definition, codes, rows).items()
            }
    data["published"] = _published_others(scan, definition, data)
    return data


def responses_per_group(scan: Scan, groups: list[RespondentGroup]) -> dict[int, int]:
    """How many responses each group has: from the stored figures once the scan has them (a closed scan
    takes no more answers, and counting 50,000 rows on every view would grow with the scan), else counted."""
    stored = (
        ScanFigures.objects.filter(scan=scan).values_list("data__responses", flat=True).first()
        if scan.has_figures
        else None
    )
    if stored is not None:
        by_kind = {str(kind): int(n) for kind, n in stored.items()}
        return {group.pk: by_kind.get(group.kind, 0) for group in groups}
    return dict(
        Response.objects.filter(scan=scan).values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )


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
