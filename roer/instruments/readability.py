"""Is a residents' text plain Dutch (B1)? Measured, not guessed: sentence length, and the Flesch-Douma
reading ease (the Dutch adaptation of Flesch, as textstat computes it with Dutch syllables from pyphen).

Reading-ease formulas say little about a two-word answer label, so a sentence is only scored once it
has `SCORED_FROM_WORDS` words; a long word is flagged wherever it stands. The limits follow the common
guidance for B1 ("taalniveau B1"): at most about 15 to 20 words in a sentence, a reading ease of 60 or
more for the text as a whole, and few words of many syllables.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textstat.textstat import textstatistics

MAX_WORDS = 20
SCORED_FROM_WORDS = 8
MIN_READING_EASE = 50.0
MAX_SYLLABLES = 6

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


@functools.cache
def _dutch() -> textstatistics:
    """textstat, with Dutch syllables. Imported on first use, not with this module: its dictionaries cost
    a process about 50 MB, and every web process imports the loader (for the instrument upload) while
    only the upload and the load_instrument command measure texts."""
    from textstat.textstat import textstatistics  # deliberately late: see the docstring

    statistics = textstatistics()
    statistics.set_lang("nl")
    return statistics


@dataclass(frozen=True)
class Finding:
    kind: str  # "long_sentence", "hard_sentence" or "long_word"
    sentence: str
    value: float


def sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(text.strip()) if sentence.strip()]


def reading_ease(sentence: str) -> float:
    return float(_dutch().flesch_reading_ease(sentence))


def b1_findings(text: str) -> list[Finding]:
    """What in a Dutch text is probably harder than B1: long sentences, hard sentences, long words."""
    findings: list[Finding] = []
    for sentence in sentences(text):
        words = _WORD.findall(sentence)
        if len(words) > MAX_WORDS:
            findings.append(Finding("long_sentence", sentence, len(words)))
        elif len(words) >= SCORED_FROM_WORDS and (ease := reading_ease(sentence)) < MIN_READING_EASE:
            findings.append(Finding("hard_sentence", sentence, round(ease, 1)))
        for word in words:
            syllables = int(_dutch().syllable_count(word))
            if syllables >= MAX_SYLLABLES:
                findings.append(Finding("long_word", word, syllables))
    return findings
