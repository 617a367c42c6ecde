"""Bursts: many open-link answers in a short time, which a scan manager may leave out of the figures.

Two kinds are found, per ten-minute window: from one network, at least ROER_RESIDENT_BURST answers; and
from everywhere at once, a window with at least five times the usual number of answers (the median of
the windows that had any) and at least three times ROER_RESIDENT_BURST. Letters and paper forms are never
part of a burst: a letter's code is used once, and paper is entered by the scan manager.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from roer.residents.answers import WINDOW_MINUTES
from roer.residents.models import Burst, Channel, ResidentResponse, ResidentSurvey

SPIKE_FACTOR = 5


@dataclass(frozen=True)
class WindowCount:
    window: datetime.datetime
    network: str
    responses: int


def find_bursts(counts: list[WindowCount], *, burst_size: int) -> list[WindowCount]:
    """The bursts among the counts per window and network (pure: tested without a database). A burst
    from many networks has network "" and counts the window's answers outside the one-network bursts."""
    found = [count for count in counts if count.network and count.responses >= burst_size]
    in_found = {(count.window, count.network) for count in found}
    per_window: dict[datetime.datetime, int] = {}
    for count in counts:
        if (count.window, count.network) not in in_found:
            per_window[count.window] = per_window.get(count.window, 0) + count.responses
    if per_window:
        usual = statistics.median(per_window.values())
        floor = max(3 * burst_size, SPIKE_FACTOR * usual)
        found += [WindowCount(window, "", total) for window, total in sorted(per_window.items()) if total >= floor]
    return found


def bursts_detect(survey: ResidentSurvey) -> int:
    """Record the survey's bursts and link their answers (the caller holds the survey's row); returns
    how many answers are in a burst that is new or grew."""
    rows = (
        ResidentResponse.objects.filter(survey=survey, channel=Channel.OPEN_LINK, window__isnull=False)
        .values("window", "network")
        .annotate(n=Count("id"))
    )
    counts = [WindowCount(row["window"], row["network"], row["n"]) for row in rows]
    linked = 0
    for found in find_bursts(counts, burst_size=settings.ROER_RESIDENT_BURST):
        burst, _created = Burst.objects.get_or_create(
            survey=survey,
            window_start=found.window,
            network=found.network,
            defaults={
                "window_end": found.window + datetime.timedelta(minutes=WINDOW_MINUTES),
                "from_one_network": bool(found.network),
            },
        )
        members = ResidentResponse.objects.filter(
            survey=survey, channel=Channel.OPEN_LINK, window=found.window, burst__isnull=True
        )
        if found.network:
            members = members.filter(network=found.network)
        linked += members.update(burst=burst)
        burst.responses = burst.members.count()
        burst.save(update_fields=["responses"])
    return linked


def network_traces_remove(survey: ResidentSurvey) -> int:
    """Erase what the survey kept of residents' networks and times (at close, after a last detection)."""
    Burst.objects.filter(survey=survey).exclude(network="").update(network="")
    return (
        ResidentResponse.objects.filter(survey=survey).exclude(network="", window=None).update(network="", window=None)
    )
