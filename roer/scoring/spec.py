"""What scoring needs to know about an instrument: which items form which dimension, and the scale."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    item_codes: tuple[str, ...]
    reverse_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PillarSpec:
    code: str
    dimension_codes: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentSpec:
    scale_points: int
    pillars: tuple[PillarSpec, ...]
    dimensions: tuple[DimensionSpec, ...]

    def __post_init__(self) -> None:
        if self.scale_points < 2:
            raise ValueError("a scale needs at least two points")
        known = {dimension.code for dimension in self.dimensions}
        for pillar in self.pillars:
            unknown = set(pillar.dimension_codes) - known
            if unknown:
                raise ValueError(f"pillar {pillar.code} names unknown dimensions {sorted(unknown)}")
