"""WCAG 2.1 colour contrast, so an organisation's colour never makes text unreadable.

The colour is used with white text on it and as text on white, so one check against white
covers both combinations.
"""

from __future__ import annotations

import re

AA_NORMAL_TEXT = 4.5
WHITE = (255, 255, 255)

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(value: str) -> tuple[int, int, int]:
    """Parse "#rrggbb" or "#rgb"; raise ValueError on anything else."""
    text = value.strip()
    if not _HEX.match(text):
        raise ValueError(f"not a hex colour: {value!r}")
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def normalise_hex(value: str) -> str:
    """The canonical lower-case "#rrggbb" form of a valid colour."""
    red, green, blue = parse_hex(value)
    return f"#{red:02x}{green:02x}{blue:02x}"


def _channel(value: int) -> float:
    # WCAG 2.1 "relative luminance" definition (sRGB linearisation, 0.03928 threshold).
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.03928 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = rgb
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_with_white(value: str) -> float:
    return contrast_ratio(parse_hex(value), WHITE)


def meets_aa_on_white(value: str) -> bool:
    """True when the colour reaches 4.5:1 against white (AA, normal text)."""
    return contrast_with_white(value) >= AA_NORMAL_TEXT


def darkened(value: str, share: float = 0.3) -> str:
    """The colour mixed with `share` black: the hover shade of a button. Darker than the colour, so it
    contrasts at least as well with white."""
    return "#" + "".join(f"{round(channel * (1 - share)):02x}" for channel in parse_hex(value))
