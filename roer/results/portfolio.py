"""Reads for a consultant's portfolio (issue 15): the board of every client's scans, and the anonymised
report across clients.

Every score here is one the disclosure rule published: the others' view stored with a scan's figures
(`Figures.published`, what results pages, benchmarks and the plan read), never anything worked out from
respondents' rows. The response per group is what the scan's own page shows its members. Both pages make
the same number of queries however many clients and scans there are."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count

from roer.instruments.models import InstrumentVersion
from roer.instruments.texts import Text
from roer.organisations.models import Organisation
from roer.responses.models import Response
from roer.results.figures import figures_of
from roer.results.models import ScanFigures
from roer.results.selectors import GroupRate
from roer.scans.models import Invitation, Scan, ScanState
from roer.scans.portfolio import Portfolio, scans_of_clients

# An aggregate over fewer clients is not shown: with two, the median is their mean and min and max name
# each of them; the report is meant to say something about the portfolio, not about a client.
MIN_CLIENTS = 3


@dataclass(frozen=True)
class ScanRow:
    scan: Scan
    state: ScanState
    last_day: datetime.date  # the closing date, or the day it was closed by hand before it
    rates: tuple[GroupRate, ...]


@dataclass(frozen=True)
class PillarScore:
    code: str
    name: Text
    score: float | None  # None: not published (a group below its threshold)


@dataclass(frozen=True)
class ClientRow:
    organisation: Organisation
    role: str
    scans: tuple[ScanRow, ...]
    latest: Scan | None  # the latest scan with figures ready
    pillars: tuple[PillarScore, ...]


def group_rates(scans: Sequence[Scan]) -> dict[int, tuple[GroupRate, ...]]:
    """Invited and answered per group of many scans at once, as `selectors.response_rates` gives for one:
    answers from the stored figures once a scan has them (see `figures.responses_per_group`), else counted.
    Three queries for any number of scans; the scans' groups must be prefetched."""
    invited = dict(
        Invitation.objects.filter(scan__in=scans)
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    with_figures = [scan for scan in scans if scan.has_figures]
    stored = dict(ScanFigures.objects.filter(scan__in=with_figures).values_list("scan_id", "data__responses"))
    counted = dict(
        Response.objects.filter(scan__in=[scan for scan in scans if scan.pk not in stored])
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    rates = {}
    for scan in scans:
        groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
        by_kind = {str(kind): int(n) for kind, n in (stored.get(scan.pk) or {}).items()}
        rates[scan.pk] = tuple(
            GroupRate(
                group,
                invited.get(group.pk, 0),
                by_kind.get(group.kind, 0) if scan.pk in stored else counted.get(group.pk, 0),
            )
            for group in groups
        )
    return rates


def _latest_with_figures(scans: Iterable[Scan]) -> dict[int, Scan]:
    """Per organisation its latest scan with figures ready (as `plans.selectors.latest_published`)."""
    latest: dict[int, Scan] = {}
    for scan in scans:
        if not scan.has_figures:
            continue
        current = latest.get(scan.organisation_id)
        if current is None or (scan.closes_on, scan.created_at) > (current.closes_on, current.created_at):
            latest[scan.organisation_id] = scan
    return latest


def _published_of(scans: Sequence[Scan]) -> dict[int, dict[str, float]]:
    """The others' view each scan published, per dimension and pillar code, in one query."""
    return {scan_id: dict(figures.published) for scan_id, figures in figures_of(list(scans)).items()}


def portfolio_board(portfolio: Portfolio) -> list[ClientRow]:
    """Every client with its scans, their response per group, and the latest published pillar scores."""
    scans = scans_of_clients(portfolio.clients)
    rates = group_rates(scans)
    latest = _latest_with_figures(scans)
    published = _published_of(list(latest.values()))
    by_client: dict[int, list[ScanRow]] = defaultdict(list)
    for scan in scans:
        by_client[scan.organisation_id].append(ScanRow(scan, scan.current_state, scan.last_answer_day, rates[scan.pk]))
    rows = []
    for organisation in portfolio.clients:
        chosen = latest.get(organisation.pk)
        pillars: tuple[PillarScore, ...] = ()
        if chosen is not None:
            values = published.get(chosen.pk, {})
            definition = chosen.instrument_version.parsed
            pillars = tuple(
                PillarScore(pillar.code, pillar.name, values.get(pillar.code)) for pillar in definition.pillars
            )
        rows.append(
            ClientRow(
                organisation,
                portfolio.roles[organisation.pk],
                tuple(by_client.get(organisation.pk, ())),
                chosen,
                pillars,
            )
        )
    return rows


@dataclass(frozen=True)
class Aggregate:
    code: str
    name: Text
    is_pillar: bool
    clients: int
    # None whenever fewer than MIN_CLIENTS clients published this score: then nothing is shown
    minimum: float | None = None
    median: float | None = None
    maximum: float | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None


def aggregate(code: str, name: Text, values: Sequence[float], *, is_pillar: bool) -> Aggregate:
    """n, minimum, median and maximum of the clients' scores, or only n when there are too few."""
    if len(values) < MIN_CLIENTS:
        return Aggregate(code, name, is_pillar, len(values))
    return Aggregate(code, name, is_pillar, len(values), min(values), float(statistics.median(values)), max(values))


@dataclass(frozen=True)
class VersionReport:
    """The aggregates over the clients whose latest scan with figures used one instrument version."""

    version: InstrumentVersion
    clients: int
    rows: tuple[Aggregate, ...]


def portfolio_report(portfolio: Portfolio) -> list[VersionReport]:
    """Per instrument version, per pillar and its dimensions: over how many clients, and (from three clients
    on) the minimum, median and maximum of their published scores. No client is named or ranked."""
    scans = (
        Scan.objects.with_figures()
        .filter(organisation__in=portfolio.clients)
        .select_related("instrument_version__instrument")
    )
    latest = list(_latest_with_figures(scans).values())
    published = _published_of(latest)
    by_version: dict[int, list[Scan]] = defaultdict(list)
    for scan in latest:
        by_version[scan.instrument_version_id].append(scan)
    reports = []
    for scans_of_version in by_version.values():
        version = scans_of_version[0].instrument_version
        values = [published.get(scan.pk, {}) for scan in scans_of_version]
        rows = []
        for pillar in version.parsed.pillars:
            for code, name, is_pillar in (
                (pillar.code, pillar.name, True),
                *((dimension.code, dimension.name, False) for dimension in pillar.dimensions),
            ):
                scores = [float(found[code]) for found in values if found.get(code) is not None]
                rows.append(aggregate(code, name, scores, is_pillar=is_pillar))
        reports.append(VersionReport(version, len(scans_of_version), tuple(rows)))
    return sorted(reports, key=lambda report: (str(report.version), report.version.pk))
