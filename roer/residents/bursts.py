"""Bursts: many open-link answers in a short time, which a scan manager may leave out of the figures.

Three kinds are found. Per ten-minute window: from one network, at least ROER_RESIDENT_BURST answers; and
from everywhere at once, a window with at least five times the usual number of answers (the median of
the windows that had any) and at least three times ROER_RESIDENT_BURST. Per day: from one network, at
least six times ROER_RESIDENT_BURST answers, so that a slow flood that keeps every window below the first
rule (one address deleting its cookie within its rate limit) is seen too. Letters and paper forms are
never part of a burst: a letter's code is used once, and paper is entered by the scan manager.

A burst that was counted and then grows is to be looked at again; one left out stays left out, with
whatever joins it. At the close, a burst keeps its day only: no time of day is kept for any answer.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from roer.residents.answers import WINDOW_MINUTES
from roer.residents.models import Burst, BurstStatus, Channel, ResidentResponse, ResidentSurvey

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


DAY_FACTOR = 6


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    network: str
    responses: int


def find_day_bursts(counts: list[DayCount], *, burst_size: int) -> list[DayCount]:
    """The days on which one network sent at least DAY_FACTOR times a burst's size (pure)."""
    return [count for count in counts if count.network and count.responses >= DAY_FACTOR * burst_size]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _link(burst: Burst, members: QuerySet[ResidentResponse]) -> int:
    """Link the answers not in a burst yet; a burst that was counted and grows is to be looked at again."""
    linked = members.filter(burst__isnull=True).update(burst=burst)
    if linked or burst.responses != burst.members.count():
        burst.responses = burst.members.count()
        if linked and burst.status == BurstStatus.KEPT:
            burst.status, burst.decided_by, burst.decided_at = BurstStatus.SUSPECT, None, None
        burst.save(update_fields=["responses", "status", "decided_by", "decided_at"])
    return linked


def _burst(survey: ResidentSurvey, start: datetime.datetime, end: datetime.datetime, network: str) -> Burst:
    burst, _created = Burst.objects.get_or_create(
        survey=survey,
        window_start=start,
        window_end=end,
        network=network,
        defaults={"from_one_network": bool(network)},
    )
    return burst


def bursts_detect(survey: ResidentSurvey) -> int:
    """Record the survey's bursts and link their answers (the caller holds the survey's row); returns
    how many answers joined a burst."""
    traced = ResidentResponse.objects.filter(survey=survey, channel=Channel.OPEN_LINK, window__isnull=False)
    rows = traced.values("window", "network").annotate(n=Count("id")).order_by()
    counts = [WindowCount(row["window"], row["network"], row["n"]) for row in rows]
    linked = 0
    for found in find_bursts(counts, burst_size=settings.ROER_RESIDENT_BURST):
        end = found.window + datetime.timedelta(minutes=WINDOW_MINUTES)
        members = traced.filter(window=found.window)
        if found.network:
            members = members.filter(network=found.network)
        linked += _link(_burst(survey, found.window, end, found.network), members)
    days = traced.exclude(network="").values("submitted_on", "network").annotate(n=Count("id")).order_by()
    day_counts = [DayCount(row["submitted_on"], row["network"], row["n"]) for row in days]
    for found_day in find_day_bursts(day_counts, burst_size=settings.ROER_RESIDENT_BURST):
        start = _day_start(found_day.day)
        end = _day_start(found_day.day + datetime.timedelta(days=1))
        members = traced.filter(submitted_on=found_day.day, network=found_day.network)
        linked += _link(_burst(survey, start, end, found_day.network), members)
    return linked


def network_traces_remove(survey: ResidentSurvey) -> int:
    """Erase what the survey kept of residents' networks and times (at close, after a last detection):
    the networks, the ten-minute windows, and a burst's time of day (it keeps its day, from midnight to
    midnight, as its answers keep theirs)."""
    for burst in Burst.objects.filter(survey=survey):
        day = timezone.localdate(burst.window_start)
        burst.window_start, burst.window_end = _day_start(day), _day_start(day + datetime.timedelta(days=1))
        burst.network = ""
        burst.save(update_fields=["window_start", "window_end", "network"])
    return (
        ResidentResponse.objects.filter(survey=survey).exclude(network="", window=None).update(network="", window=None)
    )
