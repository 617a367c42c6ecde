"""Roer's scoring: pure Python, no Django, documented step by step in docs/scoring.md.

Frozen dataclasses go in and come out, so every published figure can be recomputed by hand or in a
notebook from an export. Selectors in `roer.results` build the input from the database.
"""

from roer.scoring.groups import (
    ALL_OTHERS,
    Cell,
    GroupInput,
    GroupScores,
    ScanScores,
    Suppression,
    score_scan,
)
from roer.scoring.respondent import respondent_dimension_scores, to_percentage
from roer.scoring.spec import DimensionSpec, InstrumentSpec, PillarSpec
from roer.scoring.summary import Summary, share_agreeing

__all__ = [
    "ALL_OTHERS",
    "Cell",
    "DimensionSpec",
    "GroupInput",
    "GroupScores",
    "InstrumentSpec",
    "PillarSpec",
    "ScanScores",
    "Summary",
    "Suppression",
    "respondent_dimension_scores",
    "score_scan",
    "share_agreeing",
    "to_percentage",
]
