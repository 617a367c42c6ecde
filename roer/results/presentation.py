"""Shapes a scan's results into what the results page (and later the report) shows: rows, levels and
charts. No scoring happens here; every number comes from `roer.results.insight`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roer.instruments.schema import InstrumentDefinition
from roer.lib.charts.bars import DivergingBars, diverging_bars
from roer.lib.charts.lines import LineChart, line_chart
from roer.lib.charts.quadrant import Quadrant, quadrant
from roer.lib.charts.radar import Radar, radar
from roer.results.insight import DevelopmentPoint, Insight
from roer.results.selectors import ScanResults
from roer.scoring import ALL_OTHERS, Cell, GroupScores
from roer.scoring.gaps import GapKind


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
    number: int | None  # dimension number, shared with the charts
    cells: tuple[Cell | float | None, ...]


def column_label(definition: InstrumentDefinition, code: str) -> str:
    """A group's name as the instrument gives it, in the active language."""
    if code == ALL_OTHERS:
        return _("All others together")
    group = definition.group(code)
    return group.name.get(get_language() or "nl") if group else code


def ordered_groups(insight: Insight) -> list[GroupScores]:
    """Directors first, then all others together, then each group that rates the directors."""
    groups = insight.scores.groups
    return (
        [group for group in groups if group.is_self]
        + [group for group in groups if group.code == ALL_OTHERS]
        + [group for group in groups if not group.is_self and group.code != ALL_OTHERS]
    )


def columns(insight: Insight, definition: InstrumentDefinition) -> tuple[Column, ...]:
    return tuple(Column(group.code, column_label(definition, group.code), group) for group in ordered_groups(insight))


def dimension_numbers(definition: InstrumentDefinition) -> dict[str, int]:
    return {dimension.code: number for number, (_p, dimension) in enumerate(definition.dimensions(), start=1)}


def label_of(definition: InstrumentDefinition, code: str, language: str) -> str:
    numbers = dimension_numbers(definition)
    for pillar in definition.pillars:
        if pillar.code == code:
            return pillar.name.get(language)
        for dimension in pillar.dimensions:
            if dimension.code == code:
                return f"{numbers[code]}. {dimension.name.get(language)}"
    return code


def rows(results: ScanResults, language: str) -> tuple[Row, ...]:
    cols = columns(results.insight, results.definition)
    numbers = dimension_numbers(results.definition)
    table: list[Row] = []
    for pillar in results.definition.pillars:
        table.append(
            Row(pillar.code, pillar.name.get(language), True, None, tuple(c.scores.pillars[pillar.code] for c in cols))
        )
        for dimension in pillar.dimensions:
            cells = tuple(c.scores.dimensions[dimension.code] for c in cols)
            table.append(Row(dimension.code, dimension.name.get(language), False, numbers[dimension.code], cells))
    return tuple(table)


def self_versus_others_chart(results: ScanResults, language: str) -> Radar:
    self_view, others_view = results.scores.self_view, results.scores.others_view
    labels, own, others = [], [], []
    for number, (_pillar, dimension) in enumerate(results.definition.dimensions(), start=1):
        labels.append(f"{number}. {dimension.name.get(language)}")
        own.append(self_view.dimensions[dimension.code].score if self_view else None)
        others.append(others_view.dimensions[dimension.code].score if others_view else None)
    series = []
    if self_view is not None:
        series.append((column_label(results.definition, self_view.code), "series-self", own))
    if others_view is not None:
        series.append((column_label(results.definition, ALL_OTHERS), "series-others", others))
    return radar(labels, series)


GAP_CLASSES = {
    GapKind.BLIND_SPOT: "bar-blind-spot",
    GapKind.HIDDEN_STRENGTH: "bar-hidden-strength",
    GapKind.AGREEMENT: "bar-agreement",
}


def gap_chart(results: ScanResults, language: str) -> DivergingBars | None:
    gaps = results.insight.gaps
    if not gaps:
        return None
    rows_ = [(label_of(results.definition, gap.code, language), gap.difference, GAP_CLASSES[gap.kind]) for gap in gaps]
    limit = max(50.0, *(abs(gap.difference) for gap in gaps))
    return diverging_bars(rows_, limit=round(limit / 10 + 0.5) * 10, thresholds=[results.insight.gap_threshold])


def trend_chart(results: ScanResults, language: str) -> LineChart | None:
    trend = results.progress.trend
    if len(trend) < 2:
        return None
    labels = [date_format(point.scan.closes_on, "M Y") for point in trend]
    css = ["series-a", "series-b", "series-c", "series-d", "series-e"]
    series = [
        (pillar.name.get(language), css[index % len(css)], [point.scores.get(pillar.code) for point in trend])
        for index, pillar in enumerate(results.definition.pillars)
    ]
    return line_chart(labels, series)


@dataclass(frozen=True)
class DevelopmentView:
    group_code: str
    label: str
    points: tuple[DevelopmentPoint, ...]
    chart: Quadrant | None
    blind_spots: tuple[DevelopmentPoint, ...]


def development_views(results: ScanResults, language: str) -> tuple[DevelopmentView, ...]:
    definition = results.definition.developments
    if definition is None:
        return ()
    views = []
    for group in ordered_groups(results.insight):
        points = results.insight.developments.get(group.code, ())
        shown = [
            (number, point.name.get(language), point.knowledge.score, point.impact.score, point.blind_spot)
            for number, point in enumerate(points, start=1)
            if point.shown
        ]
        chart = quadrant(shown, split=definition.quadrant_split) if shown else None  # type: ignore[arg-type]
        views.append(
            DevelopmentView(
                group.code,
                column_label(results.definition, group.code),
                points,
                chart,
                tuple(point for point in points if point.blind_spot),
            )
        )
    return tuple(views)
