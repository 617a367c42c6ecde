"""Reads for the results page. A closed scan's figures are computed once (see figures.py), so the number
of queries does not grow with the number of respondents."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from roer.instruments.schema import InstrumentDefinition
from roer.responses.models import Response
from roer.results.benchmarks import Benchmark, benchmark_for
from roer.results.expectations import ResidentsSection, residents_section
from roer.results.figures import figures_for, group_inputs, responses_per_group
from roer.results.insight import Insight, ReferenceFigure, insight
from roer.results.progress import Progress, progress_for
from roer.scans.models import Invitation, RespondentGroup, Scan
from roer.scoring import ScanScores


def _count_per_scan(queryset: QuerySet[Invitation] | QuerySet[Response]) -> Coalesce:
    counts = queryset.filter(scan=OuterRef("pk")).order_by().values("scan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def scans_with_counts(scans: QuerySet[Scan]) -> QuerySet[Scan]:
    """Scans annotated with how many were invited and how many answered, in one query."""
    return scans.annotate(
        invited=_count_per_scan(Invitation.objects.all()),
        responded=_count_per_scan(Response.objects.all()),
    ).select_related("instrument_version__instrument")


@dataclass(frozen=True)
class GroupRate:
    group: RespondentGroup
    invited: int
    responded: int

    @property
    def rate(self) -> float | None:
        return 100 * self.responded / self.invited if self.invited else None


@dataclass(frozen=True)
class ScanResults:
    scan: Scan
    definition: InstrumentDefinition
    groups: tuple[RespondentGroup, ...]
    rates: tuple[GroupRate, ...]
    insight: Insight
    benchmark: Benchmark
    progress: Progress
    # the residents' survey beside the scan, with the expectation gap (None: no survey)
    residents: ResidentsSection | None = None

    @property
    def scores(self) -> ScanScores:
        return self.insight.scores

    @property
    def references(self) -> tuple[ReferenceFigure, ...]:
        return self.insight.references

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
    responded = responses_per_group(scan, groups)
    return tuple(GroupRate(group, invited.get(group.pk, 0), responded.get(group.pk, 0)) for group in groups)


def published_others_view(result: Insight) -> dict[str, float]:
    others = result.scores.others_view
    if others is None:
        return {}
    values = {code: cell.score for code, cell in others.dimensions.items() if cell.score is not None}
    values.update({code: score for code, score in others.pillars.items() if score is not None})
    return values


def scan_results(scan: Scan) -> ScanResults:
    """Everything the results page shows of a closed scan."""
    version = scan.instrument_version
    definition = version.parsed
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    figures = figures_for(scan)
    outcome = insight(definition, version.spec, group_inputs(definition, groups, figures), figures)
    own = published_others_view(outcome)
    pillar_codes = [pillar.code for pillar in definition.pillars]
    codes = [code for pillar in definition.pillars for code in (pillar.code, *(d.code for d in pillar.dimensions))]
    return ScanResults(
        scan=scan,
        definition=definition,
        groups=tuple(groups),
        rates=response_rates(scan, groups),
        insight=outcome,
        benchmark=benchmark_for(scan, dict(own), codes),
        progress=progress_for(scan, figures, groups, own, pillar_codes, codes),
        residents=residents_section(scan, definition, outcome, figures),
    )
