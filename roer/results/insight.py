"""From a closed scan's figures to what a director reads: scores per group, gaps between self and
others, maturity levels, strongest and weakest items, the developments radar and scale quality.

No database here: `selectors.scan_results` passes the figures in, so this is tested with plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roer.instruments.schema import InstrumentDefinition, MaturityBand, Recommendation, Text
from roer.results.figures import MIN_RESPONDENTS_FOR_QUALITY, Figures
from roer.scoring import ALL_OTHERS, Cell, GroupInput, InstrumentSpec, ScanScores, Summary, score_scan
from roer.scoring.disclosure import Disclosure, GroupShape, Unit, decide
from roer.scoring.gaps import Gap, classify_gap, gap_threshold_score
from roer.scoring.groups import cells_for
from roer.scoring.items import RankedItem, keyed_percentage_summary, strongest_and_weakest
from roer.scoring.reliability import QualitySums, ScaleQuality, quality_of


@dataclass(frozen=True)
class Level:
    """Where one pillar or dimension stands, and what the next level looks like."""

    code: str
    name: Text
    score: float
    band: MaturityBand
    description: Text
    next_band: MaturityBand | None
    next_description: Text | None
    recommendation: Recommendation | None
    based_on_self_view: bool


@dataclass(frozen=True)
class ReferenceFigure:
    code: str
    text: Text
    reference_percentage: int
    reference_label: Text
    answered: int | None  # None when hidden: a hidden figure has no n either
    percentage: float | None
    shown: bool


@dataclass(frozen=True)
class DevelopmentPoint:
    code: str
    name: Text
    knowledge: Cell
    impact: Cell
    blind_spot: bool

    @property
    def shown(self) -> bool:
        return self.knowledge.shown and self.impact.shown


@dataclass(frozen=True)
class Insight:
    scores: ScanScores
    gap_threshold: float
    gaps: tuple[Gap, ...]
    pillar_levels: tuple[Level, ...]
    dimension_levels: tuple[Level, ...]
    items: Mapping[str, Mapping[str, Cell]]  # group code -> item code -> keyed 0-100 cell
    strongest: tuple[RankedItem, ...]
    weakest: tuple[RankedItem, ...]
    references: tuple[ReferenceFigure, ...]
    developments: Mapping[str, tuple[DevelopmentPoint, ...]]  # group code -> points
    quality: Mapping[str, ScaleQuality]  # over the groups of others shown on the dimension
    quality_sums: Mapping[str, QualitySums]  # what `quality` was computed from, for the figures file
    development_disclosure: Disclosure | None = None
    reference_disclosure: Disclosure | None = None
    min_quality_respondents: int = MIN_RESPONDENTS_FOR_QUALITY


def _level(
    definition: InstrumentDefinition,
    code: str,
    name: Text,
    score: float,
    descriptions: Sequence[Text],
    recommendations: Sequence[Recommendation],
    *,
    self_view: bool,
) -> Level | None:
    band = definition.band_for(score)
    if band is None or not descriptions:
        return None
    index = band.level - 1
    following = definition.maturity[index + 1] if index + 1 < len(definition.maturity) else None
    return Level(
        code=code,
        name=name,
        score=score,
        band=band,
        description=descriptions[index],
        next_band=following,
        next_description=descriptions[index + 1] if following else None,
        recommendation=recommendations[index] if recommendations else None,
        based_on_self_view=self_view,
    )


def _levels(definition: InstrumentDefinition, scores: ScanScores) -> tuple[tuple[Level, ...], tuple[Level, ...]]:
    """Levels follow the others' view; where that is hidden, the directors' self-view, and the page says so."""
    others, own = scores.others_view, scores.self_view

    def pick(get: str, code: str) -> tuple[float | None, bool]:
        for view, is_self in ((others, False), (own, True)):
            if view is None:
                continue
            value = view.pillars.get(code) if get == "pillar" else view.dimensions[code].score
            if value is not None:
                return value, is_self
        return None, False

    pillars, dimensions = [], []
    for pillar in definition.pillars:
        score, is_self = pick("pillar", pillar.code)
        if score is not None and (
            level := _level(definition, pillar.code, pillar.name, score, pillar.levels, (), self_view=is_self)
        ):
            pillars.append(level)
        for dimension in pillar.dimensions:
            score, is_self = pick("dimension", dimension.code)
            if score is None:
                continue
            level = _level(
                definition,
                dimension.code,
                dimension.name,
                score,
                dimension.levels,
                dimension.recommendations,
                self_view=is_self,
            )
            if level:
                dimensions.append(level)
    return tuple(pillars), tuple(dimensions)


def _counts(figures: Figures) -> dict[str, dict[str, int]]:
    return {kind: {code: figure.raw.n for code, figure in items.items()} for kind, items in figures.items.items()}


def _developments(
    definition: InstrumentDefinition, shapes: Sequence[GroupShape], figures: Figures
) -> tuple[dict[str, tuple[DevelopmentPoint, ...]], Disclosure | None]:
    """A development's knowledge and impact are one unit: both shown or both hidden."""
    developments = definition.developments
    if developments is None:
        return {}, None
    scales = {"k": len(developments.knowledge_labels), "i": len(developments.impact_labels)}
    units = [Unit(f"development:{d.code}", (d.knowledge_code, d.impact_code)) for d in developments.items]
    keys = [key for unit in units for key in unit.keys]
    disclosure = decide(shapes, _counts(figures), units)
    figures_by_group = {
        kind: {
            code: keyed_percentage_summary(figure.raw, reverse=False, scale_points=scales[code[-1]])
            for code, figure in items.items()
            if code in keys
        }
        for kind, items in figures.items.items()
    }
    cells = cells_for(disclosure, figures_by_group, keys)
    split = developments.quadrant_split
    result = {}
    for group_code, group_cells in cells.items():
        points = []
        for development in developments.items:
            knowledge, impact = group_cells[development.knowledge_code], group_cells[development.impact_code]
            blind = bool(
                knowledge.score is not None and impact.score is not None and impact.score >= split > knowledge.score
            )
            points.append(DevelopmentPoint(development.code, development.name, knowledge, impact, blind))
        result[group_code] = tuple(points)
    return result, disclosure


def _references(
    definition: InstrumentDefinition, shapes: Sequence[GroupShape], figures: Figures
) -> tuple[tuple[ReferenceFigure, ...], Disclosure | None]:
    """Each reference question is a unit of the self-view alone: the share of directors who agree, among
    those who answered (not "don't know"), shown when that many reach the directors' threshold."""
    own = next((shape for shape in shapes if shape.is_self), None)
    if own is None:
        return (), None
    units = [
        Unit(f"reference:{question.code}", (question.code,), self_only=True)
        for question in definition.reference_questions
    ]
    disclosure = decide(shapes, _counts(figures), units)
    result = []
    for question in definition.reference_questions:
        figure = figures.items.get(own.code, {}).get(question.code)
        shown = disclosure.shown(own.code, question.code)
        answered = figure.raw.n if figure and shown else None
        percentage = 100 * figure.agreeing / figure.raw.n if figure and shown and figure.raw.n else None
        result.append(
            ReferenceFigure(
                question.code,
                question.text,
                question.reference_percentage,
                question.reference_label,
                answered,
                percentage,
                shown,
            )
        )
    return tuple(result), disclosure


def _quality(
    definition: InstrumentDefinition, scores: ScanScores, figures: Figures
) -> tuple[dict[str, ScaleQuality], dict[str, QualitySums]]:
    """Per dimension, over the groups of others shown on it: a hidden group's answers never count."""
    disclosure = scores.disclosure
    qualities: dict[str, ScaleQuality] = {}
    pooled: dict[str, QualitySums] = {}
    for _pillar, dimension in definition.dimensions():
        total = QualitySums(0, (), ())
        for group in scores.groups:
            if group.is_self or group.code == ALL_OTHERS or disclosure is None:
                continue
            if disclosure.shown(group.code, dimension.code):
                sums = figures.quality.get(group.code, {}).get(dimension.code)
                total = total + sums if sums is not None else total
        pooled[dimension.code] = total
        qualities[dimension.code] = quality_of(total)
    return qualities, pooled


def insight(
    definition: InstrumentDefinition, spec: InstrumentSpec, inputs: Sequence[GroupInput], figures: Figures
) -> Insight:
    scores = score_scan(spec, inputs)
    shapes = [group.shape for group in inputs]
    threshold_rule = definition.gap_threshold
    threshold = gap_threshold_score(
        scale_points=definition.scale.points,
        points=threshold_rule.points,
        share_of_scale=threshold_rule.share_of_scale,
        score=threshold_rule.score,
    )
    own, others = scores.self_view, scores.others_view
    gaps = tuple(
        gap
        for _pillar, dimension in definition.dimensions()
        if own
        and others
        and (
            gap := classify_gap(
                dimension.code, own.dimensions[dimension.code].score, others.dimensions[dimension.code].score, threshold
            )
        )
    )
    pillar_levels, dimension_levels = _levels(definition, scores)
    items = {group.code: group.items for group in scores.groups}
    strongest, weakest = strongest_and_weakest(items.get(ALL_OTHERS, {}))
    developments, development_disclosure = _developments(definition, shapes, figures)
    references, reference_disclosure = _references(definition, shapes, figures)
    quality, quality_sums = _quality(definition, scores, figures)
    return Insight(
        scores=scores,
        gap_threshold=threshold,
        gaps=gaps,
        pillar_levels=pillar_levels,
        dimension_levels=dimension_levels,
        items=items,
        strongest=tuple(strongest),
        weakest=tuple(weakest),
        references=references,
        developments=developments,
        quality=quality,
        quality_sums=quality_sums,
        development_disclosure=development_disclosure,
        reference_disclosure=reference_disclosure,
    )


def pooled_others(figures: Figures, shapes: Sequence[GroupShape], kind: str) -> dict[str, Summary]:
    """The others' view as one pooled Summary per code, from 'dimensions' or 'pillars' figures."""
    source = figures.dimensions if kind == "dimensions" else figures.pillars
    pooled: dict[str, Summary] = {}
    for shape in shapes:
        if shape.is_self:
            continue
        for code, summary in source.get(shape.code, {}).items():
            pooled[code] = pooled.get(code, Summary()) + summary
    return pooled
