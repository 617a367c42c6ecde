"""This installation's benchmark cells: per instrument version, peer group and dimension or pillar, the
number of organisations and the Harrell-Davis median and quartiles, under the benchmark's disclosure rule.

They are read from the stored peer group scores (`PeerGroupScores`, rebuilt every night from each
opted-in organisation's latest closed scan), so an export or the open data change only when the
benchmark itself does, for every organisation at once. A cell of fewer than `MIN_PEERS` organisations is
left out, and its quartiles are empty below `MIN_PEERS_FOR_QUARTILES`. Nested peer groups (all, one kind,
one size class of municipalities) must differ by none or at least `MIN_PEERS` organisations, or the two
medians side by side tell about the few between them (complementary suppression: `suppressed`). No
organisation's name, code, id or own score leaves this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from roer.organisations.models import OrganisationKind
from roer.results.benchmarks import ALL
from roer.results.models import PeerGroupScores
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, peer_statistics


@dataclass(frozen=True)
class Cell:
    instrument_code: str
    instrument_version: int
    content_hash: str
    kind: str  # "" for every organisation
    size_class: int  # 0 for none; otherwise a CBS size class of municipalities
    code: str
    organisations: int
    median: float
    q1: float | None
    q3: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "instrument": self.instrument_code,
            "instrument_version": self.instrument_version,
            "kind": self.kind or None,
            "size_class": self.size_class or None,
            "code": self.code,
            "organisations": self.organisations,
            "median": self.median,
            "q1": self.q1,
            "q3": self.q3,
        }


class _Grouped(Protocol):
    @property
    def instrument_code(self) -> str: ...
    @property
    def instrument_version(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def size_class(self) -> int: ...
    @property
    def organisations(self) -> int: ...


G = TypeVar("G", bound=_Grouped)


def contains(outer: _Grouped, inner: _Grouped) -> bool:
    """Whether `outer`'s peer group holds `inner`'s (all > one kind > one size class of that kind), on
    the same instrument version and dimension or pillar."""
    if (outer.instrument_code, outer.instrument_version, outer.code) != (
        inner.instrument_code,
        inner.instrument_version,
        inner.code,
    ):
        return False
    if (outer.kind, outer.size_class) == (inner.kind, inner.size_class):
        return False
    if not outer.kind:
        return True
    return outer.kind == inner.kind and not outer.size_class


def differencing_pair(cells: Sequence[G]) -> tuple[G, G] | None:
    """A pair (outer, inner) of nested cells whose organisations differ by 1 to MIN_PEERS - 1, if any."""
    for outer in cells:
        for inner in cells:
            if contains(outer, inner) and 0 < outer.organisations - inner.organisations < MIN_PEERS:
                return outer, inner
    return None


def suppressed(cells: Sequence[G]) -> list[G]:
    """The cells without those that would tell about fewer than MIN_PEERS organisations through a
    published cell of a group around them: of each such pair the inner (more specific) cell goes, until
    no pair is left."""
    kept = list(cells)
    while (pair := differencing_pair(kept)) is not None:
        kept.remove(pair[1])
    return kept


def group_of(peer_group: str) -> tuple[str, int]:
    """(kind, size class) of a stored peer group key: "all", "kind:<kind>" or "size:<class>"."""
    if peer_group == ALL:
        return "", 0
    prefix, _separator, value = peer_group.partition(":")
    if prefix == "kind":
        return value, 0
    return OrganisationKind.GEMEENTE.value, int(value)


def key_of(kind: str, size_class: int) -> str:
    """The peer group key (as `roer.results.benchmarks.peer_group_keys`) of a kind and size class."""
    if size_class:
        return f"size:{size_class}"
    return f"kind:{kind}" if kind else ALL


@dataclass(frozen=True)
class OwnBenchmark:
    cells: tuple[Cell, ...]
    contributors: int  # organisations in the pool, over every instrument version
    # instrument code and version -> (content hash, the codes that have cells)
    instruments: dict[tuple[str, int], tuple[str, tuple[str, ...]]]


def own_benchmark() -> OwnBenchmark:
    """Every cell that passes the disclosure rule, in one query."""
    rows = (
        PeerGroupScores.objects.select_related("instrument_version__instrument")
        .defer("instrument_version__definition", "instrument_version__source_text")
        .order_by("instrument_version__instrument__code", "instrument_version__number", "peer_group", "code")
    )
    cells = []
    organisations: set[int] = set()
    instruments: dict[tuple[str, int], tuple[str, list[str]]] = {}
    for row in rows:
        version = row.instrument_version
        entries = row.entries
        if row.peer_group == ALL:
            organisations.update(int(organisation) for organisation, _score in entries)
        if len(entries) < MIN_PEERS:
            continue
        statistics = peer_statistics([float(score) for _organisation, score in entries])
        if statistics is None:  # pragma: no cover - len(entries) >= MIN_PEERS
            continue
        kind, size_class = group_of(row.peer_group)
        cells.append(
            Cell(
                instrument_code=version.instrument.code,
                instrument_version=version.number,
                content_hash=version.content_hash,
                kind=kind,
                size_class=size_class,
                code=row.code,
                organisations=len(entries),
                median=statistics.median,
                q1=statistics.q1 if len(entries) >= MIN_PEERS_FOR_QUARTILES else None,
                q3=statistics.q3 if len(entries) >= MIN_PEERS_FOR_QUARTILES else None,
            )
        )
    cells = suppressed(cells)
    for cell in cells:
        key = (cell.instrument_code, cell.instrument_version)
        instruments.setdefault(key, (cell.content_hash, []))[1].append(cell.code)
    return OwnBenchmark(
        tuple(cells),
        len(organisations),
        {key: (content_hash, tuple(dict.fromkeys(codes))) for key, (content_hash, codes) in instruments.items()},
    )
