"""Geometry for a line chart of 0-100 scores over successive scans, drawn as server-side SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roer.lib.charts import palette

WIDTH = 760
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 50, 170, 20, 50


@dataclass(frozen=True)
class Line(palette.Styled):
    name: str
    css_class: str
    points: str  # "x,y x,y" of the known values, in order
    markers: tuple[tuple[float, float, float], ...]  # x, y, value
    label_y: float | None


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    x_labels: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, int], ...]
    lines: tuple[Line, ...]
    plot_left: float
    plot_right: float
    plot_bottom: float


def line_chart(x_labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]) -> LineChart:
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    count = len(x_labels)
    step = (plot_right - LEFT) / (count - 1) if count > 1 else 0

    def x_at(index: int) -> float:
        return round(LEFT + index * step if count > 1 else (LEFT + plot_right) / 2, 1)

    def y_at(value: float) -> float:
        return round(plot_bottom - value / 100 * (plot_bottom - TOP), 1)

    lines = []
    for name, css_class, values in series:
        markers = tuple((x_at(index), y_at(value), value) for index, value in enumerate(values) if value is not None)
        lines.append(
            Line(
                name=name,
                css_class=css_class,
                points=" ".join(f"{x},{y}" for x, y, _value in markers),
                markers=markers,
                label_y=markers[-1][1] if markers else None,
            )
        )
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        x_labels=tuple((x_at(index), label) for index, label in enumerate(x_labels)),
        y_ticks=tuple((y_at(tick), tick) for tick in (0, 25, 50, 75, 100)),
        lines=tuple(lines),
        plot_left=LEFT,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
    )
