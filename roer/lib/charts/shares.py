"""Geometry for a small horizontal bar chart of counts that share a whole (the balance between the three
investments of an action plan), drawn as server-side SVG. Each bar is as long as its share of the total;
the label carries the count and the share, so the chart never has to be read from lengths alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 440
LABEL_WIDTH = 110
ROW_HEIGHT = 34
BAR_HEIGHT = 18
TOP = 8
SERIES = ("#14507a", "#a8430f", "#1e6b35")


@dataclass(frozen=True)
class ShareBar:
    label: str
    count: int
    percentage: int
    y: float
    width: float
    label_y: float
    value_x: float
    colour: str


@dataclass(frozen=True)
class ShareBars:
    width: int
    height: int
    plot_left: int
    total: int
    bars: tuple[ShareBar, ...]


def share_bars(rows: Sequence[tuple[str, int]]) -> ShareBars | None:
    """rows: (label, count). None when every count is zero: an empty chart says nothing."""
    total = sum(count for _label, count in rows)
    if total == 0:
        return None
    plot_left, plot_width = LABEL_WIDTH + 10, WIDTH - LABEL_WIDTH - 90
    bars = []
    for index, (label, count) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = round(plot_width * count / total, 1)
        bars.append(
            ShareBar(
                label=label,
                count=count,
                percentage=round(100 * count / total),
                y=y,
                width=width,
                label_y=y + BAR_HEIGHT - 4,
                value_x=plot_left + width + 6,
                colour=SERIES[index % len(SERIES)],
            )
        )
    return ShareBars(WIDTH, TOP + len(rows) * ROW_HEIGHT, plot_left, total, tuple(bars))
