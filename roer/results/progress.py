"""Progress between scans of the same organisation and instrument: the change since the previous closed
scan with a 95% interval, and the trend of every pillar over all closed scans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roer.results.benchmarks import group_shapes
from roer.results.figures import Figures, figures_of
from roer.results.insight import pooled_others
from roer.scans.models import RespondentGroup, Scan
from roer.scoring.disclosure import GroupShape
from roer.scoring.progress import Change, change_between
from roer.scoring.summary import Summary


@dataclass(frozen=True)
class ChangeRow:
    code: str
    is_pillar: bool
    before: float
    after: float
    change: Change | None

    @property
    def difference(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class TrendPoint:
    scan: Scan
    scores: dict[str, float]


@dataclass(frozen=True)
class Progress:
    previous: Scan | None
    rows: tuple[ChangeRow, ...]
    trend: tuple[TrendPoint, ...]


def _history(scan: Scan) -> list[Scan]:
    """Published scans of the same organisation and instrument, oldest first, up to and including this one."""
    scans = (
        Scan.objects.with_figures()
        .filter(organisation=scan.organisation, instrument_version__instrument_id=scan.instrument_version.instrument_id)
        .select_related("instrument_version", "organisation")
        .prefetch_related("groups")
        .order_by("closes_on", "created_at")
    )
    history = []
    for other in scans:
        history.append(other)
        if other.pk == scan.pk:
            break
    return history


@dataclass(frozen=True)
class _Spread:
    """One scan's pooled others' view per pillar and dimension, with the threshold it takes: worked out once
    per scan, however many codes are compared."""

    pools: Mapping[str, Mapping[str, Summary]]  # "pillars" / "dimensions" -> code -> summary
    threshold: int

    @classmethod
    def of(cls, figures: Figures, groups: list[RespondentGroup]) -> _Spread:
        shapes = group_shapes(groups, figures.responses)
        pools = {kind: pooled_others(figures, shapes, kind) for kind in ("pillars", "dimensions")}
        return cls(pools, _others_threshold(shapes))

    def summary(self, code: str, *, pillar: bool) -> Summary | None:
        # The spread comes from every other respondent together, as "all others" does, so it takes the same
        # threshold: a pillar counts only respondents with every dimension, and can fall below it.
        found = self.pools["pillars" if pillar else "dimensions"].get(code)
        return found if found is not None and found.n >= self.threshold else None


def _interval(before: _Spread, after: _Spread, code: str, *, pillar: bool) -> Change | None:
    earlier, later = before.summary(code, pillar=pillar), after.summary(code, pillar=pillar)
    if earlier is None or later is None:
        return None
    return change_between(earlier, later)


def _others_threshold(shapes: Sequence[GroupShape]) -> int:
    return max((shape.threshold for shape in shapes if not shape.is_self), default=0)


def progress_for(
    scan: Scan,
    figures: Figures,
    groups: list[RespondentGroup],
    current: dict[str, float],
    pillar_codes: Sequence[str],
    codes: Sequence[str],
) -> Progress:
    """current: this scan's published others' view per code; codes: pillars and dimensions in page order.

    The earlier scans, their groups and their figures are read in three queries, however long the
    history."""
    history = _history(scan)
    earlier = [other for other in history if other.pk != scan.pk]
    stored = figures_of(earlier)
    trend = tuple(
        TrendPoint(other, current if other.pk == scan.pk else stored[other.pk].published)
        for other in history
        if other.pk == scan.pk or other.pk in stored
    )
    if len(trend) < 2:
        return Progress(None, (), trend)
    previous = trend[-2].scan
    before_scores = trend[-2].scores
    before_figures = stored[previous.pk]
    previous_groups = list(previous.groups.all())
    rows = []
    spreads = (_Spread.of(before_figures, previous_groups), _Spread.of(figures, groups))
    for code in codes:
        if code not in current or code not in before_scores:
            continue
        scores = (before_scores[code], current[code])
        rows.append(_change_row(code, code in pillar_codes, scores, spreads))
    return Progress(previous, tuple(rows), trend)


def _change_row(code: str, is_pillar: bool, scores: tuple[float, float], spreads: tuple[_Spread, _Spread]) -> ChangeRow:
    earlier, later = scores
    interval = _interval(*spreads, code, pillar=is_pillar)
    if interval is not None:
        # Centre the interval on the published difference (for a pillar: of the means of its dimension
        # means) while its width comes from the spread of the respondents' own scores.
        shift = (later - earlier) - interval.difference
        interval = Change(later - earlier, interval.low + shift, interval.high + shift)
    return ChangeRow(code, is_pillar, earlier, later, interval)


def changes_between(
    before: Scan, after: Scan, codes: Sequence[str], stored: Mapping[int, Figures] | None = None
) -> dict[str, ChangeRow]:
    """How each code (pillar or dimension) moved from one published scan to a later one, with the same
    interval as the results page's progress; a code either scan does not publish is left out.

    For an action plan, whose actions each name the scan they were planned after. `stored`: the figures of
    both scans when the caller read them already (with their groups prefetched, nothing more is asked)."""
    stored = stored if stored is not None else figures_of([before, after])
    if before.pk not in stored or after.pk not in stored:
        return {}
    before_figures, after_figures = stored[before.pk], stored[after.pk]
    spreads = (
        _Spread.of(before_figures, list(before.groups.all())),
        _Spread.of(after_figures, list(after.groups.all())),
    )
    pillar_codes = {pillar.code for pillar in after.instrument_version.parsed.pillars}
    return {
        code: _change_row(
            code, code in pillar_codes, (before_figures.published[code], after_figures.published[code]), spreads
        )
        for code in codes
        if code in before_figures.published and code in after_figures.published
    }
