"""Text people type, cleaned of what only serves to disguise it."""

from __future__ import annotations

import re

# The explicit direction controls: embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
# A right-to-left override turns the text after it around ("gnidrow" for "wording") in every report that
# prints it. Arabic or Hebrew needs none of them (the Unicode bidirectional algorithm orders them by
# itself), so an open answer loses nothing by their removal. The marks U+200E and U+200F, which only
# nudge the algorithm and can override nothing, stay.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    return _DIRECTION_CONTROLS.sub("", text)
