"""Benchmarks: where an organisation stands among comparable organisations."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_PEERS = 5  # for a median
MIN_PEERS_FOR_QUARTILES = 10


@dataclass(frozen=True)
class PeerStatistics:
    n: int
    median: float
    q1: float
    q3: float


def peer_statistics(values: Sequence[float]) -> PeerStatistics | None:
    """Median and quartiles (inclusive method, as a spreadsheet's QUARTILE.INC) of a peer group."""
    if len(values) < 2:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return PeerStatistics(len(values), median, q1, q3)


def percentile_rank(value: float, peers: Sequence[float]) -> float | None:
    """The share of peers scoring lower, counting ties as half: 0 is the lowest, 100 the highest."""
    if not peers:
        return None
    below = sum(1 for peer in peers if peer < value)
    equal = sum(1 for peer in peers if peer == value)
    return 100 * (below + equal / 2) / len(peers)
