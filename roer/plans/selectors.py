"""Reads for an organisation's action plan: the board, the balance of the three investments, the
suggestions that follow from the chosen focus, and whether each action's dimension moved at the next
scan. Every number comes from published figures, so the plan shows nothing the results page hides."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Max, Prefetch, QuerySet

from roer.instruments.schema import InstrumentDefinition, Recommendation
from roer.organisations.models import Organisation
from roer.plans.models import Action, ActionStatus, FocusDimension, InvestmentKind, ProgressNote
from roer.results.figures import figures_of
from roer.results.progress import ChangeRow, changes_between
from roer.scans.models import Scan


class Movement(StrEnum):
    ROSE = "rose"
    FELL = "fell"
    WITHIN_NOISE = "noise"  # the interval straddles zero: the change may be chance
    UNKNOWN = "unknown"  # too few answers on either side for an interval
    NOT_YET = "not_yet"  # no later scan, or it does not publish the dimension
    NO_BASELINE = "no_baseline"


@dataclass(frozen=True)
class Remeasure:
    movement: Movement
    row: ChangeRow | None = None
    later: Scan | None = None

    @property
    def size(self) -> float | None:
        """How far the score moved, without its sign (the words say which way)."""
        return abs(self.row.difference) if self.row else None

    @classmethod
    def of(cls, row: ChangeRow | None, later: Scan | None) -> Remeasure:
        if row is None or later is None:
            return cls(Movement.NOT_YET, None, later)
        if row.change is None:
            return cls(Movement.UNKNOWN, row, later)
        if not row.change.is_clear:
            return cls(Movement.WITHIN_NOISE, row, later)
        return cls(Movement.ROSE if row.change.difference > 0 else Movement.FELL, row, later)


@dataclass(frozen=True)
class PlannedAction:
    action: Action
    remeasure: Remeasure
    overdue: bool


@dataclass(frozen=True)
class Balance:
    investment: str
    label: str
    actions: int
    budget_euros: int


@dataclass(frozen=True)
class Suggestion:
    dimension_code: str
    level: int
    recommendation: Recommendation
    planned: bool  # an action with this text exists already

    @property
    def investment_label(self) -> str:
        return str(InvestmentKind(self.recommendation.investment.value).label)


def actions_of(organisation: Organisation) -> QuerySet[Action]:
    return (
        Action.objects.filter(organisation=organisation)
        .select_related("owner", "baseline_scan")
        .annotate(note_count=Count("notes"), last_note_on=Max("notes__written_on"))
    )


def latest_published(organisation: Organisation) -> Scan | None:
    """The organisation's most recent scan with published figures: the one a session discusses."""
    return (
        Scan.objects.with_figures()
        .filter(organisation=organisation)
        .select_related("instrument_version__instrument", "organisation")
        .order_by("-closes_on", "-created_at")
        .first()
    )


def _later_scans(organisation: Organisation) -> list[Scan]:
    return list(
        Scan.objects.with_figures()
        .filter(organisation=organisation)
        .select_related("instrument_version__instrument")
        .prefetch_related("groups")
        .order_by("closes_on", "created_at")
    )


def remeasures(actions: Sequence[Action], organisation: Organisation, at: Scan | None = None) -> dict[int, Remeasure]:
    """For each action: its dimension at the scan it was planned after against a later scan of the same
    instrument: `at` (a results page's scan), or else the latest. The same queries whatever the number of
    actions and scans: the scans with their groups, and their figures at once."""
    scans = _later_scans(organisation)
    by_id = {scan.pk: scan for scan in scans}
    pairs = {}
    for action in actions:
        baseline = by_id.get(action.baseline_scan_id) if action.baseline_scan_id else None
        pairs[action.pk] = (baseline, _later(scans, baseline, at))
    needed = {scan.pk: scan for baseline, later in pairs.values() if baseline and later for scan in (baseline, later)}
    stored = figures_of(list(needed.values())) if needed else {}
    # one comparison per pair of scans, of every dimension its actions name: the spreads are pooled once
    codes: dict[tuple[int, int], set[str]] = {}
    for action in actions:
        baseline, later = pairs[action.pk]
        if baseline and later:
            codes.setdefault((baseline.pk, later.pk), set()).add(action.dimension_code)
    rows = {key: changes_between(by_id[key[0]], by_id[key[1]], sorted(wanted), stored) for key, wanted in codes.items()}
    outcome = {}
    for action in actions:
        baseline, later = pairs[action.pk]
        if action.baseline_scan_id is None:
            outcome[action.pk] = Remeasure(Movement.NO_BASELINE)
            continue
        found = rows.get((baseline.pk, later.pk), {}) if baseline and later else {}
        outcome[action.pk] = Remeasure.of(found.get(action.dimension_code), later)
    return outcome


def _later(scans: list[Scan], baseline: Scan | None, at: Scan | None) -> Scan | None:
    """The scan an action planned after `baseline` is measured at: `at` when it came later, else the latest."""
    if baseline is None:
        return None
    instrument = baseline.instrument_version.instrument_id
    later = [
        scan
        for scan in scans
        if scan.instrument_version.instrument_id == instrument
        and (scan.closes_on, scan.created_at) > (baseline.closes_on, baseline.created_at)
        and (at is None or scan.pk == at.pk)
    ]
    return later[-1] if later else None


def measured_at(scan: Scan) -> list[PlannedAction]:
    """The actions planned after an earlier scan, measured at this one: for its results and reports."""
    actions = [action for action in actions_of(scan.organisation) if action.baseline_scan_id != scan.pk]
    if not actions:  # most scans: no plan to measure, and no more queries
        return []
    measured = remeasures(actions, scan.organisation, at=scan)
    return [
        PlannedAction(action, measured[action.pk], overdue=False)
        for action in actions
        if measured[action.pk].later is not None
    ]


def planned_actions(organisation: Organisation, today: datetime.date) -> list[PlannedAction]:
    actions = list(actions_of(organisation))
    measured = remeasures(actions, organisation)
    return [PlannedAction(action, measured[action.pk], action.is_overdue(today)) for action in actions]


def balance_of(actions: Sequence[Action]) -> list[Balance]:
    """Actions and budget per investment; stopped actions do not count towards the balance."""
    counted = [action for action in actions if action.status != ActionStatus.STOPPED]
    return [
        Balance(
            kind.value,
            str(kind.label),
            sum(action.investment == kind for action in counted),
            sum(action.budget_euros or 0 for action in counted if action.investment == kind),
        )
        for kind in InvestmentKind
    ]


def focus_codes(scan: Scan) -> list[str]:
    return list(FocusDimension.objects.filter(scan=scan).order_by("position").values_list("dimension_code", flat=True))


def suggestions_for(scan: Scan, actions: Sequence[Action]) -> list[Suggestion]:
    """For each focus dimension of the scan, the instrument's recommendation for the level the published
    score is at. A dimension the scan does not publish (too few answers) gets no suggestion."""
    definition: InstrumentDefinition = scan.instrument_version.parsed
    published = figures_of([scan]).get(scan.pk)
    if published is None:
        return []
    planned = {(action.dimension_code, action.title) for action in actions}
    suggestions = []
    for code in focus_codes(scan):
        score = published.published.get(code)
        band = definition.band_for(score) if score is not None else None
        dimension = definition.dimension(code)
        if band is None or not dimension.recommendations:
            continue
        recommendation = dimension.recommendations[band.level - 1]
        texts = {recommendation.nl, recommendation.en}
        done = any((code, title) in planned for title in texts)
        suggestions.append(Suggestion(code, band.level, recommendation, done))
    return suggestions


def notes_of(action: Action) -> QuerySet[ProgressNote]:
    return ProgressNote.objects.filter(action=action).select_related("author")


def action_with_notes(organisation: Organisation, pk: int) -> Action | None:
    notes = Prefetch("notes", queryset=ProgressNote.objects.select_related("author"))
    return actions_of(organisation).prefetch_related(notes).filter(pk=pk).first()
