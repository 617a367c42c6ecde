"""Geometry for a dumbbell chart: per row, several 0-100 values on one axis, joined by a line, drawn as
server-side SVG. Each series has its own marker shape as well as its colour, so the series can be told
apart without colour (and in a black-and-white print)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roer.lib.charts import palette

WIDTH = 760
LABEL_WIDTH = 300
ROW_HEIGHT = 30
TOP = 30
RADIUS = 6
SHAPES = ("circle", "square", "diamond", "triangle")


def marker_path(shape: str, x: float, y: float, radius: float = RADIUS) -> str:
    """An SVG path for a marker centred on (x, y)."""
    r = radius
    if shape == "square":
        side = r * 1.7
        return f"M{x - side / 2:.1f},{y - side / 2:.1f}h{side:.1f}v{side:.1f}h{-side:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"


@dataclass(frozen=True)
class Series(palette.Styled):
    name: str
    css_class: str
    shape: str

    @property
    def legend_path(self) -> str:
        return marker_path(self.shape, 9, 9)


@dataclass(frozen=True)
class Marker(palette.Styled):
    css_class: str
    value: float
    path: str


@dataclass(frozen=True)
class DumbbellRow:
    label: str
    y: float
    label_y: float
    line_from: float | None  # x of the lowest and highest value shown; None with fewer than two
    line_to: float | None
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class Dumbbell:
    width: int
    height: int
    plot_left: float
    plot_right: float
    top: float
    bottom: float
    rows: tuple[DumbbellRow, ...]
    ticks: tuple[tuple[float, int], ...]
    series: tuple[Series, ...]


def dumbbell(labels: Sequence[str], series: Sequence[tuple[str, str, str, Sequence[float | None]]]) -> Dumbbell:
    """series: (name, css class, marker shape, one value or None per label). A None leaves the marker out."""
    plot_left, plot_right = LABEL_WIDTH + 10, WIDTH - 30
    span = plot_right - plot_left

    def x_of(value: float) -> float:
        return round(plot_left + max(0.0, min(100.0, value)) / 100 * span, 1)

    rows = []
    for index, label in enumerate(labels):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        markers = []
        for _name, css_class, shape, values in series:
            value = values[index]
            if value is not None:
                markers.append(Marker(css_class, value, marker_path(shape, x_of(value), y)))
        xs = [x_of(marker.value) for marker in markers]
        joined = len(xs) >= 2
        rows.append(
            DumbbellRow(
                label=label,
                y=y,
                label_y=y + 4,
                line_from=min(xs) if joined else None,
                line_to=max(xs) if joined else None,
                markers=tuple(markers),
            )
        )
    bottom = TOP + len(labels) * ROW_HEIGHT
    return Dumbbell(
        width=WIDTH,
        height=bottom + 10,
        plot_left=plot_left,
        plot_right=plot_right,
        top=TOP,
        bottom=bottom,
        rows=tuple(rows),
        ticks=tuple((x_of(tick), tick) for tick in (0, 25, 50, 75, 100)),
        series=tuple(Series(name, css_class, shape) for name, css_class, shape, _values in series),
    )
