"""Benchmarks against comparable organisations.

`peer_scores_rebuild` recomputes, per instrument version, the others' view of every opted-in
organisation's latest scan with figures, grouped into peer groups: all organisations, the same kind, the same
CBS size class. Pages read those stored scores and show only a median, quartiles and the viewing
organisation's own position; a peer group with fewer than five other organisations shows nothing. The
pool is rebuilt once a night for everyone at once (an opt-in or opt-out takes effect then, so no before
and after of one organisation's change can be compared), and at once only when an organisation is
deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Any

import numpy
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import JSONField, OuterRef, Subquery, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.organisations.models import Organisation, OrganisationKind
from roer.organisations.size_classes import SIZE_CLASSES, size_class_for
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import RespondentGroup, Scan
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, PeerStatistics, peer_statistics, percentile_rank
from roer.scoring.groups import GroupShape

ALL = "all"


def peer_groups_of(organisation: Organisation) -> list[str]:
    return peer_group_keys(organisation.kind, organisation.inhabitants)


def peer_group_keys(kind: str, inhabitants: int | None) -> list[str]:
    """The peer groups of an organisation of this kind and size: all, the same kind, and for a
    municipality the same CBS size class (as `Organisation.size_class`)."""
    groups = [ALL, f"kind:{kind}"]
    if kind == OrganisationKind.GEMEENTE and inhabitants:
        groups.append(f"size:{size_class_for(inhabitants).number}")
    return groups


def peer_group_label(key: str) -> str | Promise:
    if key == ALL:
        return _("All organisations")
    kind, _separator, value = key.partition(":")
    if kind == "kind":
        return _("Same kind: %(kind)s") % {"kind": OrganisationKind(value).label}
    size = next(size for size in SIZE_CLASSES if size.number == int(value))
    return _("Same size: %(size)s") % {"size": size.label}


def group_shapes(groups: Iterable[RespondentGroup], responses: dict[str, int]) -> list[GroupShape]:
    ordered = sorted(groups, key=lambda group: group.sort_key)
    return [GroupShape(group.kind, group.is_self, group.threshold, responses.get(group.kind, 0)) for group in ordered]


class _Published(KeyTransform):
    """`data__published`, the others' view stored in a scan's figures: an object, or missing. On SQLite
    this is one JSON_EXTRACT, where Django's general form of a key reads the whole figures JSON three
    times (to tell JSON null, true and false apart, which this never is)."""

    def __init__(self) -> None:
        super().__init__("published", "data")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        lhs, params = compiler.compile(self.lhs)
        return f"JSON_EXTRACT({lhs}, %s)", (*params, '$."published"')


def _pool(version: InstrumentVersion) -> list[tuple[int, list[str], dict[str, float]]]:
    """(organisation, its peer groups, the others' view it published) of every opted-in organisation's
    latest scan of this instrument version with figures, by organisation, in one query.

    The latest scan is found by a subquery per figures row, which the database answers from the
    organisation's index; only the small `published` part of the figures JSON is taken out."""
    latest = (
        Scan.objects.with_figures()
        .filter(instrument_version=version, organisation_id=OuterRef("scan__organisation_id"))
        .order_by("-closes_on", "-created_at")
        .values("pk")[:1]
    )
    rows = (
        ScanFigures.objects.filter(
            format=ScanFigures.FORMAT,
            scan__instrument_version=version,
            scan__organisation__benchmark_opt_in=True,
            scan_id=Subquery(latest),
        )
        .annotate(published=_Published())
        .order_by("scan__organisation_id")
        .values_list(
            "scan__organisation_id", "scan__organisation__kind", "scan__organisation__inhabitants", "published"
        )
    )
    return [
        (organisation, peer_group_keys(kind, inhabitants), dict(published or {}))
        for organisation, kind, inhabitants, published in rows
    ]


_JSON = JSONField()


def _json_text(text: str) -> Cast:
    """A JSON value stored as the text given, which the rebuild writes itself."""
    return Cast(Value(text), output_field=_JSON)


def peer_scores_rebuild(version: InstrumentVersion) -> int:
    """Recompute the peer group scores of one instrument version; returns the number of organisations.

    Each peer group's entries are its organisations' scores sorted by score, ties by organisation id.
    The work per organisation is small and the same at any size: per code the scores are sorted once
    over all organisations, each entry is written once as JSON text (`[id,score]`, the score as `json`
    writes a float: the shortest text that reads back as the same float), each peer group joins the
    texts of its members in that order, and the rows are written in one insert.

    The caller holds the version's row (see `roer.lifecycle.benchmarks`), so two rebuilds of one
    version never interleave their delete and insert."""
    pool = _pool(version)
    keys = list(dict.fromkeys(key for _organisation, groups, _published in pool for key in groups))
    column = {key: number for number, key in enumerate(keys)}
    members = numpy.zeros((len(pool), len(keys)), dtype=bool)  # place in the pool x peer group
    for place, (_organisation, groups, _published) in enumerate(pool):
        members[place, [column[key] for key in groups]] = True
    ids = numpy.array([organisation for organisation, _groups, _published in pool], dtype=numpy.int64)
    places_of: dict[str, list[int]] = defaultdict(list)
    scores_of: dict[str, list[float]] = defaultdict(list)
    for place, (_organisation, _groups, published) in enumerate(pool):
        for code, score in published.items():
            places_of[code].append(place)
            scores_of[code].append(float(score))
    rows = []
    for code, places in places_of.items():
        scores = numpy.array(scores_of[code], dtype=numpy.float64)
        order = numpy.argsort(scores, kind="stable")  # ties stay in the pool's order: by organisation
        ranked = numpy.array(places, dtype=numpy.int64)[order]
        texts = [f"[{org},{score!r}]" for org, score in zip(ids[ranked].tolist(), scores[order].tolist(), strict=True)]
        for key in keys:
            chosen = members[ranked, column[key]]
            if chosen.any():
                entries = _json_text(f"[{','.join(compress(texts, chosen.tolist()))}]")
                rows.append(PeerGroupScores(instrument_version=version, peer_group=key, code=code, entries=entries))
    PeerGroupScores.objects.filter(instrument_version=version).delete()
    PeerGroupScores.objects.bulk_create(rows)
    return len(pool)


@dataclass(frozen=True)
class BenchmarkRow:
    code: str
    own: float | None
    statistics: PeerStatistics | None
    percentile: float | None


@dataclass(frozen=True)
class PeerComparison:
    key: str
    label: str | Promise
    others: int
    rows: tuple[BenchmarkRow, ...]

    @property
    def shown(self) -> bool:
        return self.others >= MIN_PEERS


@dataclass(frozen=True)
class Benchmark:
    taking_part: bool
    comparisons: tuple[PeerComparison, ...]
    min_peers: int = MIN_PEERS
    min_peers_for_quartiles: int = MIN_PEERS_FOR_QUARTILES


def benchmark_for(scan: Scan, own_scores: dict[str, float | None], codes: Iterable[str]) -> Benchmark:
    """The scan's own others' view beside each peer group, leaving the organisation itself out of its peers."""
    organisation = scan.organisation
    if not organisation.benchmark_opt_in:
        return Benchmark(False, ())
    codes = list(codes)
    keys = peer_groups_of(organisation)
    stored: dict[tuple[str, str], list[list[float]]] = {
        (group, code): entries
        for group, code, entries in PeerGroupScores.objects.filter(
            instrument_version_id=scan.instrument_version_id, peer_group__in=keys, code__in=codes
        ).values_list("peer_group", "code", "entries")
    }
    itself = organisation.pk
    comparisons = []
    for key in keys:
        rows = []
        others = 0
        for code in codes:
            peers = [score for org, score in stored.get((key, code), ()) if org != itself]
            others = max(others, len(peers))
            own = own_scores.get(code)
            enough = len(peers) >= MIN_PEERS
            rows.append(
                BenchmarkRow(
                    code,
                    own,
                    peer_statistics(peers) if enough else None,
                    percentile_rank(own, peers) if enough and own is not None else None,
                )
            )
        comparisons.append(PeerComparison(key, peer_group_label(key), others, tuple(rows)))
    return Benchmark(True, tuple(comparisons))
