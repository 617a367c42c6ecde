"""Shapes scan results into rows and a chart for the results page (no scoring happens here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from roer.lib.radar import Radar, radar
from roer.results.selectors import ScanResults
from roer.scans.models import GroupKind
from roer.scoring import ALL_OTHERS, Cell, GroupScores


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    scores: GroupScores


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    is_pillar: bool
    number: int | None  # dimension number, shared with the chart
    cells: tuple[Cell | float | None, ...]


def column_label(code: str) -> str:
    if code == ALL_OTHERS:
        return _("All others together")
    return str(GroupKind(code).label)


def columns(results: ScanResults) -> tuple[Column, ...]:
    """Directors first, then all others together, then each group that rates the directors."""
    groups = results.scores.groups
    ordered = [group for group in groups if group.is_self]
    ordered += [group for group in groups if group.code == ALL_OTHERS]
    ordered += [group for group in groups if not group.is_self and group.code != ALL_OTHERS]
    return tuple(Column(group.code, column_label(group.code), group) for group in ordered)


def rows(results: ScanResults, language: str) -> tuple[Row, ...]:
    cols = columns(results)
    table: list[Row] = []
    number = 0
    for pillar in results.definition.pillars:
        table.append(
            Row(
                pillar.code,
                pillar.name.get(language),
                True,
                None,
                tuple(col.scores.pillars[pillar.code] for col in cols),
            )
        )
        for dimension in pillar.dimensions:
            number += 1
            table.append(
                Row(
                    dimension.code,
                    dimension.name.get(language),
                    False,
                    number,
                    tuple(col.scores.dimensions[dimension.code] for col in cols),
                )
            )
    return tuple(table)


def self_versus_others_chart(results: ScanResults, language: str) -> Radar:
    labels = []
    self_values: list[float | None] = []
    others_values: list[float | None] = []
    self_view = results.scores.self_view
    others_view = results.scores.others_view
    for number, (_pillar, dimension) in enumerate(results.definition.dimensions(), start=1):
        labels.append(f"{number}. {dimension.name.get(language)}")
        self_values.append(self_view.dimensions[dimension.code].score if self_view else None)
        others_values.append(others_view.dimensions[dimension.code].score if others_view else None)
    series = []
    if self_view is not None:
        series.append((column_label(self_view.code), "series-self", self_values))
    if others_view is not None:
        series.append((column_label(ALL_OTHERS), "series-others", others_values))
    return radar(labels, series)
