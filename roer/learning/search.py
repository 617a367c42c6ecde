"""Full-text search over the case library, in Dutch.

PostgreSQL: `websearch_to_tsquery('dutch', ...)` against `to_tsvector('dutch', search_document)`, the
expression the GIN index of migration 0002 is built on, so Dutch words match their stems ("gemeenten"
finds "gemeente"). SQLite has no Dutch stemmer: its FTS5 table uses the unicode61 tokenizer without
diacritics, and every word typed is matched as a prefix ("gemeente" finds "gemeenten", "begroting" does
not find "begrotingen"'s stem "begrot" unless typed that far).

What a visitor types never reaches FTS5's query language: only the words in it (letters and digits) are
kept, each quoted as a string and ended with `*`, so `"`, `*`, `NEAR(`, `OR` and `-` cannot raise an
error or change the meaning of the query.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, Func, QuerySet
from django.db.models.expressions import RawSQL

from roer.learning.models import Case

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


class _DutchVector(Func):
    """`to_tsvector('dutch', search_document)`, written exactly as the GIN index is, so that PostgreSQL
    can use the index (Django's SearchVector would wrap the column in COALESCE)."""

    template = "to_tsvector('dutch'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def words_of(text: str) -> list[str]:
    return _WORD.findall(text[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def fts5_expression(text: str) -> str:
    """A MATCH expression for FTS5 that finds every word typed as a prefix; empty when no word was typed."""
    return " ".join(f'"{word}"*' for word in words_of(text))


def search_cases(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases whose search text matches what was typed; all of them when nothing searchable was typed."""
    text = text.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]  # PostgreSQL refuses NUL in any text
    if not words_of(text):
        return cases
    if connection.vendor == "postgresql":
        query: Any = SearchQuery(text, config="dutch", search_type="websearch")
        return cases.alias(search=_DutchVector(F("search_document"))).filter(search=query)
    expression = fts5_expression(text)
    matching = RawSQL("SELECT rowid FROM learning_case_fts WHERE learning_case_fts MATCH %s", (expression,))
    return cases.filter(pk__in=matching)
