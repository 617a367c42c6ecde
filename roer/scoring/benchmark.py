"""Benchmarks: where an organisation stands among comparable organisations.

No published figure may be one organisation's score. An ordinary median of five peers is the third
peer's own score, and a quartile of few peers is a single peer's too; so Roer publishes the Harrell-Davis
estimates instead: every peer's score weighed by the Beta distribution around the quantile, which
interpolates across all of them (with five peers no single one weighs more than about 37% in the
median). The median needs five peers, the quartiles ten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy
from numpy.typing import NDArray
from scipy.special import betainc

MIN_PEERS = 5  # for a median
MIN_PEERS_FOR_QUARTILES = 10


@dataclass(frozen=True)
class PeerStatistics:
    n: int
    median: float
    q1: float | None  # None with fewer than MIN_PEERS_FOR_QUARTILES peers
    q3: float | None


@lru_cache(maxsize=64)
def _weights(n: int, p: float) -> NDArray[numpy.float64]:
    """w₁ … wₙ of the Harrell-Davis estimate of Q(p) for n values. They depend on n and p alone, so one
    page's peer groups of the same size share them. The same operations as scipy's `hdquantiles`, so
    the estimates are the same to the last bit."""
    cdf = betainc((n + 1) * p, (n + 1) * (1 - p), numpy.arange(n + 1) / float(n))
    weights: NDArray[numpy.float64] = cdf[1:] - cdf[:-1]
    weights.flags.writeable = False
    return weights


def harrell_davis(values: Sequence[float], probabilities: Sequence[float]) -> list[float]:
    """Q(p) = Σ wᵢ x₍ᵢ₎ over the sorted values, wᵢ = I(i/n; a, b) - I((i-1)/n; a, b), where I is the
    regularised incomplete beta function, a = p(n + 1) and b = (1 - p)(n + 1)."""
    ordered = numpy.sort(numpy.asarray(values, dtype=numpy.float64))
    if ordered.size < 2:
        return [float("nan")] * len(probabilities)
    return [float(numpy.dot(_weights(int(ordered.size), float(p)), ordered)) for p in probabilities]


def peer_statistics(values: Sequence[float]) -> PeerStatistics | None:
    """The median of at least MIN_PEERS peers, and the quartiles of at least MIN_PEERS_FOR_QUARTILES."""
    if len(values) < MIN_PEERS:
        return None
    if len(values) < MIN_PEERS_FOR_QUARTILES:
        [median] = harrell_davis(values, [0.5])
        return PeerStatistics(len(values), median, None, None)
    q1, median, q3 = harrell_davis(values, [0.25, 0.5, 0.75])
    return PeerStatistics(len(values), median, q1, q3)


def percentile_rank(value: float, peers: Sequence[float]) -> float | None:
    """The share of peers scoring lower, counting ties as half: 0 is the lowest, 100 the highest."""
    if not peers:
        return None
    scores = numpy.asarray(peers, dtype=numpy.float64)
    below = int(numpy.count_nonzero(scores < value))
    equal = int(numpy.count_nonzero(scores == value))
    return 100 * (below + equal / 2) / len(peers)
