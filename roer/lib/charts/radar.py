"""Geometry for a radar chart drawn as server-side SVG; the template only places what is computed here."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from roer.lib.charts import palette

WIDTH = 760
HEIGHT = 560
CENTRE_X = WIDTH / 2
CENTRE_Y = HEIGHT / 2
RADIUS = 170
LABEL_GAP = 22
LINE_HEIGHT = 15
RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Axis:
    end: Point
    label_at: Point
    anchor: str  # text-anchor: start, middle or end
    lines: tuple[str, ...]
    first_dy: float  # shift of the first line, so labels above the centre grow upwards


@dataclass(frozen=True)
class Series(palette.Styled):
    name: str
    css_class: str
    polygon: str | None  # "x,y x,y ..." when every value is known
    markers: tuple[tuple[Point, float], ...]


@dataclass(frozen=True)
class Ring:
    value: int
    polygon: str
    label_at: Point


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    centre: Point
    axes: tuple[Axis, ...]
    rings: tuple[Ring, ...]
    series: tuple[Series, ...]


def _at(index: int, count: int, value: float) -> Point:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / 100
    return Point(round(CENTRE_X + distance * math.cos(angle), 1), round(CENTRE_Y + distance * math.sin(angle), 1))


def _polygon(points: Sequence[Point]) -> str:
    return " ".join(f"{point.x},{point.y}" for point in points)


def _anchor(point: Point) -> str:
    if abs(point.x - CENTRE_X) < 8:
        return "middle"
    return "start" if point.x > CENTRE_X else "end"


def radar(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]) -> Radar:
    """labels: one per axis; series: (name, css class, values 0-100 or None for a hidden value)."""
    count = len(labels)
    axes = []
    for index, label in enumerate(labels):
        label_at = _at(index, count, 100 + 100 * LABEL_GAP / RADIUS)
        lines = tuple(textwrap.wrap(label, 22)[:3])
        extra: float = (len(lines) - 1) * LINE_HEIGHT
        first_dy: float
        if label_at.y < CENTRE_Y - 8:
            first_dy = -extra
        elif label_at.y > CENTRE_Y + 8:
            first_dy = LINE_HEIGHT / 2
        else:
            first_dy = -extra / 2
        axes.append(Axis(_at(index, count, 100), label_at, _anchor(label_at), lines, first_dy))
    rings = tuple(
        Ring(value, _polygon([_at(index, count, value) for index in range(count)]), _at(0, count, value))
        for value in RINGS
    )
    drawn = []
    for name, css_class, values in series:
        markers = tuple((_at(index, count, value), value) for index, value in enumerate(values) if value is not None)
        complete = all(value is not None for value in values)
        polygon = _polygon([point for point, _value in markers]) if complete and values else None
        drawn.append(Series(name, css_class, polygon, markers))
    return Radar(WIDTH, HEIGHT, Point(CENTRE_X, CENTRE_Y), tuple(axes), rings, tuple(drawn))
