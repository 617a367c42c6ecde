"""Colours and dash patterns of chart series. They are written as SVG presentation attributes (not only
CSS classes) so that the PDF renderer, which does not apply page CSS to SVG, draws them the same way.
A dash pattern tells series apart without relying on colour alone."""

from __future__ import annotations

TEXT = "#1b1f24"
MUTED = "#505a64"
GRID = "#c8d0d8"

SERIES = {
    "series-self": ("#a8430f", "7 4"),
    "series-others": ("#14507a", ""),
    "series-a": ("#14507a", ""),
    "series-b": ("#a8430f", "7 4"),
    "series-c": ("#1e6b35", "2 3"),
    "series-d": ("#6b2c91", "10 3 2 3"),
    "series-e": ("#505a64", "1 2"),
}

BARS = {"bar-blind-spot": "#a8430f", "bar-hidden-strength": "#14507a", "bar-agreement": "#9aa5b1"}


def colour(css_class: str) -> str:
    return SERIES.get(css_class, (MUTED, ""))[0]


def dash(css_class: str) -> str:
    return SERIES.get(css_class, (MUTED, ""))[1]


class Styled:
    """Mixin for a chart series with a `css_class`: its colour and dash pattern as SVG attributes."""

    css_class: str

    @property
    def colour(self) -> str:
        return colour(self.css_class)

    @property
    def dash(self) -> str:
        return dash(self.css_class)
