"""The scoring module's view of an instrument definition."""

from __future__ import annotations

from roer.instruments.schema import InstrumentDefinition
from roer.scoring import DimensionSpec, InstrumentSpec, PillarSpec


def scoring_spec(definition: InstrumentDefinition) -> InstrumentSpec:
    return InstrumentSpec(
        scale_points=definition.scale.points,
        pillars=tuple(
            PillarSpec(code=pillar.code, dimension_codes=tuple(dimension.code for dimension in pillar.dimensions))
            for pillar in definition.pillars
        ),
        dimensions=tuple(
            DimensionSpec(
                code=dimension.code,
                item_codes=tuple(item.code for item in dimension.items),
                reverse_codes=frozenset(item.code for item in dimension.items if item.reverse),
            )
            for _pillar, dimension in definition.dimensions()
        ),
    )
