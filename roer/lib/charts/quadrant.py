"""Geometry for a quadrant (scatter) chart of two 0-100 measures, drawn as server-side SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SIZE = 420
LEFT, RIGHT, TOP, BOTTOM = 50, SIZE - 15, 15, SIZE - 50


@dataclass(frozen=True)
class Dot:
    number: int
    label: str
    x: float
    y: float
    highlighted: bool


@dataclass(frozen=True)
class Quadrant:
    size: int
    left: float
    right: float
    top: float
    bottom: float
    split_x: float
    split_y: float
    dots: tuple[Dot, ...]
    x_ticks: tuple[tuple[float, int], ...]
    y_ticks: tuple[tuple[float, int], ...]

    @property
    def zone_width(self) -> float:
        """Width of the top-left quadrant: little knowledge, large impact."""
        return round(self.split_x - self.left, 1)

    @property
    def zone_height(self) -> float:
        return round(self.split_y - self.top, 1)


def _x(value: float) -> float:
    return round(LEFT + value / 100 * (RIGHT - LEFT), 1)


def _y(value: float) -> float:
    return round(BOTTOM - value / 100 * (BOTTOM - TOP), 1)


def quadrant(points: Sequence[tuple[int, str, float, float, bool]], *, split: float) -> Quadrant:
    """points: (number, label, x value, y value, highlighted); x grows to the right and y upwards, both 0-100.
    The number is shown in the dot and repeated in the table beside the chart."""
    dots = tuple(Dot(number, label, _x(x), _y(y), highlighted) for number, label, x, y, highlighted in points)
    ticks = (0, 50, 100)
    return Quadrant(
        size=SIZE,
        left=LEFT,
        right=RIGHT,
        top=TOP,
        bottom=BOTTOM,
        split_x=_x(split),
        split_y=_y(split),
        dots=dots,
        x_ticks=tuple((_x(tick), tick) for tick in ticks),
        y_ticks=tuple((_y(tick), tick) for tick in ticks),
    )
