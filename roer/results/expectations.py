"""The residents' voice beside the scan: what residents answer, what the directors and staff think they
answer, and the expectation gap between the two.

Both sides go through the one disclosure rule. The leadership side is the scan's own figures of the
perceived statements (each statement one unit, with the scan's groups and thresholds); the residents'
side is `roer.residents.figures.publish_resident_figures` (the channels as groups, and all of them
together). A gap is only computed where both sides are shown, so it never carries a hidden figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, Value

from roer.instruments.residents import ResidentChoice, ResidentsModule, ResidentStatement, ResidentText, Theme
from roer.instruments.schema import InstrumentDefinition
from roer.residents.figures import CHANNELS, TOGETHER, ResidentResults, publish_resident_figures
from roer.residents.models import (
    Burst,
    BurstStatus,
    ResidentFigures,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from roer.results.figures import Figures
from roer.results.insight import Insight
from roer.scans.models import Scan
from roer.scoring import ALL_OTHERS, Cell
from roer.scoring.disclosure import Disclosure, GroupShape, Unit, decide
from roer.scoring.expectations import ExpectationGap, blind_spots, expectation_gap
from roer.scoring.groups import cells_for
from roer.scoring.items import keyed_percentage_summary

PUBLISHED = "published"
OPEN_ANSWERS_PER_QUESTION = 25


@dataclass(frozen=True)
class Perceived:
    """What each group (and all others together) thinks residents answer, per statement, 0-100."""

    disclosure: Disclosure
    cells: Mapping[str, Mapping[str, Cell]]  # group kind or ALL_OTHERS -> statement code -> cell

    def cell(self, group: str | None, code: str) -> Cell | None:
        return self.cells.get(group, {}).get(code) if group else None


def perceived_units(module: ResidentsModule) -> list[Unit]:
    return [Unit(f"perceived:{statement.code}", (statement.code,)) for statement in module.statements]


def perceived_view(
    definition: InstrumentDefinition, module: ResidentsModule, shapes: Sequence[GroupShape], figures: Figures
) -> Perceived:
    codes = [statement.code for statement in module.statements]
    counts = {
        kind: {code: items[code].raw.n for code in codes if code in items} for kind, items in figures.items.items()
    }
    disclosure = decide(shapes, counts, perceived_units(module))
    points = definition.scale.points
    summaries = {
        kind: {
            code: keyed_percentage_summary(items[code].raw, reverse=False, scale_points=points)
            for code in codes
            if code in items
        }
        for kind, items in figures.items.items()
    }
    return Perceived(disclosure, cells_for(disclosure, summaries, codes))


@dataclass(frozen=True)
class GapRow:
    statement: ResidentStatement
    residents: Cell
    agreeing: float | None
    directors: Cell | None  # None when the scan has no directors' group
    others: Cell | None
    directors_gap: ExpectationGap | None
    others_gap: ExpectationGap | None

    @property
    def code(self) -> str:
        return self.statement.code


@dataclass(frozen=True)
class ChannelGaps:
    channel: str  # a channel's code or TOGETHER
    rows: tuple[GapRow, ...]
    blind_spots: tuple[ExpectationGap, ...]  # where the directors misjudge these residents most

    @property
    def shown(self) -> bool:
        return any(row.residents.shown for row in self.rows)

    @property
    def compared(self) -> bool:
        return any(row.directors_gap is not None for row in self.rows)


def channel_gaps(
    module: ResidentsModule,
    residents: ResidentResults,
    perceived: Perceived,
    self_code: str | None,
    channel: str,
    threshold: float,
) -> ChannelGaps:
    rows = []
    for statement in module.statements:
        code = statement.code
        own = perceived.cell(self_code, code)
        others = perceived.cell(ALL_OTHERS, code)
        resident = residents.statements[channel][code]
        rows.append(
            GapRow(
                statement=statement,
                residents=resident,
                agreeing=residents.agreeing[channel][code],
                directors=own,
                others=others,
                directors_gap=expectation_gap(code, own.score if own else None, resident.score),
                others_gap=expectation_gap(code, others.score if others else None, resident.score),
            )
        )
    gaps = [row.directors_gap for row in rows if row.directors_gap is not None]
    return ChannelGaps(channel, tuple(rows), blind_spots(gaps, threshold))


@dataclass(frozen=True)
class ResidentAnswers:
    code: str
    question: ResidentText
    answers: tuple[str, ...]  # the first published texts, by handle
    total: int


@dataclass(frozen=True)
class ResidentsSection:
    """The residents' part of a scan's results: None parts while the survey has no figures yet."""

    survey: ResidentSurvey
    module: ResidentsModule
    results: ResidentResults | None
    perceived: Perceived | None
    self_code: str | None
    gap_threshold: float
    gaps: Mapping[str, ChannelGaps]  # TOGETHER and every channel
    open_answers: tuple[ResidentAnswers, ...]

    @property
    def ready(self) -> bool:
        return self.results is not None

    @property
    def together(self) -> ChannelGaps | None:
        return self.gaps.get(TOGETHER)

    def statements_of(self, theme: Theme) -> tuple[ResidentStatement, ...]:
        return tuple(statement for statement in self.module.statements if statement.theme is theme)

    def choices_where(
        self, *, inclusion: bool | None = None, multiple: bool | None = None
    ) -> tuple[ResidentChoice, ...]:
        return tuple(
            choice
            for choice in self.module.choices
            if (inclusion is None or (choice.theme is Theme.INCLUSION) == inclusion)
            and (multiple is None or choice.multiple == multiple)
        )


def survey_of(scan: Scan) -> ResidentSurvey | None:
    """The scan's residents' survey with its stored figures, in one query."""
    survey = ResidentSurvey.objects.select_related("figures").filter(scan=scan).first()
    if survey is not None:
        survey.scan = scan
    return survey


def stored_figures(survey: ResidentSurvey) -> dict[str, Any] | None:
    """The survey's figures once a worker stored them (state figures ready), else None."""
    if not survey.has_figures:
        return None
    try:
        return dict(survey.figures.data)
    except ResidentFigures.DoesNotExist:
        return None


def residents_section(
    scan: Scan, definition: InstrumentDefinition, insight: Insight, figures: Figures
) -> ResidentsSection | None:
    """The residents' section of a scan's results, or None when the scan has no residents' survey."""
    module = definition.residents
    if module is None:
        return None
    survey = survey_of(scan)
    if survey is None:
        return None
    data = stored_figures(survey)
    threshold = insight.gap_threshold
    disclosure = insight.scores.disclosure
    shapes = list(disclosure.groups) if disclosure else []
    self_code = next((shape.code for shape in shapes if shape.is_self), None)
    if data is None:
        return ResidentsSection(survey, module, None, None, self_code, threshold, {}, ())
    residents = publish_resident_figures(module, data)
    perceived = perceived_view(definition, module, shapes, figures)
    gaps = {
        channel: channel_gaps(module, residents, perceived, self_code, channel, threshold)
        for channel in (TOGETHER, *CHANNELS)
    }
    answers = resident_open_answers(survey, module) if residents.responses[TOGETHER] >= residents.threshold else ()
    return ResidentsSection(survey, module, residents, perceived, self_code, threshold, gaps, answers)


def resident_open_answers(
    survey: ResidentSurvey, module: ResidentsModule, limit: int | None = OPEN_ANSWERS_PER_QUESTION
) -> tuple[ResidentAnswers, ...]:
    """The published answers per open question, all channels together (a channel is never named beside
    an answer), in the order of their handles, the first `limit` of each, with each question's total.
    Answers in a burst left out of the figures are left out here too."""
    if not module.open_questions:
        return ()
    shown: dict[str, list[str]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    for code, text, total in _shown_and_counted(survey, module, limit):
        if total:
            totals[code] += total  # the published answers, less those in a burst left out
        else:
            shown[code].append(text)
    return tuple(
        ResidentAnswers(
            question.code, question.question, tuple(shown.get(question.code, ())), totals.get(question.code, 0)
        )
        for question in module.open_questions
    )


def _shown_and_counted(
    survey: ResidentSurvey, module: ResidentsModule, limit: int | None
) -> list[tuple[str, str, int]]:
    """In one query: (code, "", total) per question, (code, "", -n) per question for the n published
    answers in a burst left out of the figures, then (code, text, 0) for each answer shown.

    Nothing here grows with the survey beyond the index on (survey, status, code, handle): the totals
    are counted in that index alone, without reading a row (as roer.results.open_answers does); the
    answers left out are found from the survey's excluded bursts (by the indexes on a response's burst
    and an answer's response), so only their rows are read; and each part of answers reads its first
    `limit` rows by handle, skipping those left out. Joining every published answer to its response and
    burst to leave a few out read every row (30 ms at 100,000 residents). As in roer.results.open_answers,
    Django cannot put a part with its own ORDER BY and LIMIT into a UNION on SQLite, so each part is
    Django's own SQL wrapped as a subquery."""
    left_out = ResidentResponse.objects.filter(
        burst__in=Burst.objects.filter(survey=survey, status=BurstStatus.EXCLUDED)
    ).values("pk")
    published = ResidentOpenAnswer.objects.filter(survey=survey, status=PUBLISHED)
    counts = published.order_by().values("code").annotate(text=Value(""), total=Count("*"))
    # An answer belongs to its response's survey, and a burst's responses to the burst's: so the answers
    # left out are found by their responses alone (a filter on the survey here would make SQLite walk
    # all the survey's published answers instead).
    subtracted = (
        ResidentOpenAnswer.objects.filter(response__in=left_out, status=PUBLISHED)
        .order_by()
        .values("code")
        .annotate(text=Value(""), total=-Count("*"))
    )
    parts: list[QuerySet[Any, tuple[str, str, int]]] = [
        counts.values_list("code", "text", "total"),
        subtracted.values_list("code", "text", "total"),
    ]
    for question in module.open_questions:
        part = (
            published.filter(code=question.code)
            .exclude(response__in=left_out)
            .order_by("handle")
            .annotate(total=Value(0))
            .values_list("code", "published_text", "total")
        )
        parts.append(part[:limit] if limit is not None else part)
    statements: list[str] = []
    values: list[Any] = []
    for part in parts:
        sql, params = part.query.sql_with_params()
        statements.append(f"SELECT * FROM ({sql}) AS part")  # noqa: S608 - Django's own SQL, values bound
        values += params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), values)
        return [(code, text, int(total)) for code, text, total in cursor.fetchall()]
