"""Geometry for a diverging bar chart (values around zero), drawn as server-side SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roer.lib.charts import palette

WIDTH = 760
LABEL_WIDTH = 300
ROW_HEIGHT = 30
BAR_HEIGHT = 16
TOP = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    css_class: str
    label_y: float
    value_x: float
    value_anchor: str

    @property
    def colour(self) -> str:
        return palette.BARS.get(self.css_class, palette.MUTED)


@dataclass(frozen=True)
class DivergingBars:
    width: int
    height: int
    zero_x: float
    plot_left: float
    plot_right: float
    bars: tuple[Bar, ...]
    guides: tuple[tuple[float, str], ...]  # (x, label) for the threshold lines and the axis ends
    limit: float


def diverging_bars(
    rows: Sequence[tuple[str, float, str]], *, limit: float, thresholds: Sequence[float] = ()
) -> DivergingBars:
    """rows: (label, value, css class); values are clipped to +/- limit on the drawing (never in the label)."""
    plot_left, plot_right = LABEL_WIDTH + 10, WIDTH - 50
    zero_x = (plot_left + plot_right) / 2
    half = (plot_right - plot_left) / 2

    def x_of(value: float) -> float:
        clipped = max(-limit, min(limit, value))
        return round(zero_x + clipped / limit * half, 1)

    bars = []
    for index, (label, value, css_class) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        end = x_of(value)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=min(zero_x, end),
                y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                width=round(abs(end - zero_x), 1),
                css_class=css_class,
                label_y=y + ROW_HEIGHT / 2 + 4,
                value_x=end + (6 if value >= 0 else -6),
                value_anchor="start" if value >= 0 else "end",
            )
        )
    guides = [(x_of(-limit), f"-{limit:g}"), (zero_x, "0"), (x_of(limit), f"+{limit:g}")]
    guides += [(x_of(sign * threshold), "") for threshold in thresholds for sign in (-1, 1)]
    height = TOP + len(rows) * ROW_HEIGHT + 10
    return DivergingBars(WIDTH, height, zero_x, plot_left, plot_right, tuple(bars), tuple(guides), limit)
