"""Reads that turn a scan's stored scores into the pure scoring module's input, and its output back into
what the results page shows. Aggregation happens in SQL (count, sum and sum of squares per group and
dimension), so the number of queries does not grow with the number of respondents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum

from roer.instruments.schema import InstrumentDefinition, ReferenceQuestion
from roer.responses.models import Answer, DimensionScore, Response
from roer.scans.models import Invitation, RespondentGroup, Scan
from roer.scoring import GroupInput, ScanScores, Summary, score_scan, share_agreeing


@dataclass(frozen=True)
class GroupRate:
    group: RespondentGroup
    invited: int
    responded: int

    @property
    def rate(self) -> float | None:
        return 100 * self.responded / self.invited if self.invited else None


@dataclass(frozen=True)
class ReferenceResult:
    question: ReferenceQuestion
    answered: int
    percentage: float | None  # None when hidden or nobody answered
    shown: bool


@dataclass(frozen=True)
class ScanResults:
    scan: Scan
    definition: InstrumentDefinition
    groups: tuple[RespondentGroup, ...]
    rates: tuple[GroupRate, ...]
    scores: ScanScores
    references: tuple[ReferenceResult, ...]

    @property
    def total_invited(self) -> int:
        return sum(rate.invited for rate in self.rates)

    @property
    def total_responded(self) -> int:
        return sum(rate.responded for rate in self.rates)


def response_rates(scan: Scan, groups: list[RespondentGroup]) -> tuple[GroupRate, ...]:
    invited = dict(
        Invitation.objects.filter(scan=scan).values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )
    responded = dict(
        Response.objects.filter(scan=scan).values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )
    return tuple(GroupRate(group, invited.get(group.pk, 0), responded.get(group.pk, 0)) for group in groups)


def _dimension_summaries(scan: Scan) -> dict[int, dict[str, Summary]]:
    rows = (
        DimensionScore.objects.filter(scan=scan)
        .values("group_id", "dimension")
        .annotate(n=Count("id"), total=Sum("score"), squares=Sum(F("score") * F("score")))
    )
    summaries: dict[int, dict[str, Summary]] = defaultdict(dict)
    for row in rows:
        summaries[row["group_id"]][row["dimension"]] = Summary(row["n"], row["total"] or 0.0, row["squares"] or 0.0)
    return summaries


def _references(
    scan: Scan, definition: InstrumentDefinition, self_group: RespondentGroup | None
) -> tuple[ReferenceResult, ...]:
    if self_group is None or not definition.reference_questions:
        return ()
    codes = [question.code for question in definition.reference_questions]
    values: dict[str, list[int | None]] = defaultdict(list)
    for code, value in Answer.objects.filter(
        response__scan=scan, response__group=self_group, code__in=codes
    ).values_list("code", "value"):
        values[code].append(value)
    results = []
    for question in definition.reference_questions:
        answered, percentage = share_agreeing(values[question.code], definition.scale.points)
        shown = answered >= self_group.threshold
        results.append(ReferenceResult(question, answered, percentage if shown else None, shown))
    return tuple(results)


def scan_results(scan: Scan) -> ScanResults:
    version = scan.instrument_version
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    rates = response_rates(scan, groups)
    summaries = _dimension_summaries(scan)
    responded = {rate.group.pk: rate.responded for rate in rates}
    inputs = [
        GroupInput(
            code=group.kind,
            is_self=group.is_self,
            threshold=group.threshold,
            responses=responded[group.pk],
            dimensions=summaries.get(group.pk, {}),
        )
        for group in groups
    ]
    self_group = next((group for group in groups if group.is_self), None)
    return ScanResults(
        scan=scan,
        definition=version.parsed,
        groups=tuple(groups),
        rates=rates,
        scores=score_scan(version.spec, inputs),
        references=_references(scan, version.parsed, self_group),
    )
