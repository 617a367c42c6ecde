"""The case library's search, on SQLite (FTS5) and on PostgreSQL (Dutch full-text search): what is
found, what is never found, and hostile input that must not raise."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from roer.learning.models import Case, CaseStatus
from roer.learning.search import fts5_expression, search_cases
from roer.learning.selectors import published_cases
from tests.learning.helpers import case_of

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b",
    "OR",
    "AND",
    "NOT",
    "a OR",
    "-",
    "^",
    "(",
    ")",
    "'",
    "\\",
    ":",
    "title:x",
    "{a b}",
    "a + b",
    "'; DROP TABLE learning_case; --",
    "%",
    "_",
    "ü*",
    "\x00",
    "   ",
]


def titles(cases):  # type: ignore[no-untyped-def]
    return sorted(case.title for case in cases)


def test_a_word_from_the_text_finds_the_case(organisation):
    case_of(organisation, title="Datateam", what_they_did="Een datateam voor de wijkteams opgezet.")
    case_of(organisation, title="Inkoop", what_they_did="Samen inkopen met de buurgemeenten.")
    assert titles(published_cases(text="wijkteams")) == ["Datateam"]


def test_every_word_must_match(organisation):
    case_of(organisation, title="A", what_they_did="dashboard sociaal domein")
    case_of(organisation, title="B", what_they_did="dashboard financien")
    assert titles(published_cases(text="dashboard sociaal")) == ["A"]


def test_diacritics_do_not_matter(organisation):
    case_of(organisation, title="Privacy", what_they_did="Een privacy-officer gecoördineerd ingezet.")
    assert titles(published_cases(text="gecoordineerd")) == ["Privacy"]


def test_a_dutch_plural_finds_the_singular(organisation):
    """PostgreSQL stems Dutch words; on SQLite the typed word is matched as a prefix, so "gemeente" finds
    "gemeenten" there too (docs/learning.md)."""
    case_of(organisation, title="Samenwerking", what_they_did="Samenwerken met vier gemeenten in de regio.")
    assert titles(published_cases(text="gemeente")) == ["Samenwerking"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Dutch stemming is PostgreSQL's")
def test_postgresql_stems_dutch_words(organisation):
    case_of(organisation, title="Opleidingen", what_they_did="Wij hebben de medewerkers opgeleid in datavaardigheden.")
    assert titles(published_cases(text="medewerker")) == ["Opleidingen"]


def test_dimension_names_and_the_organisation_are_searchable(organisation, instrument_version):
    case_of(organisation, title="Met risico's", dimension_codes=["risicos"], what_they_did="x", what_it_brought="y")
    assert titles(published_cases(text=organisation.name.split()[-1])) == ["Met risico's"]


@pytest.mark.parametrize("status", [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.REJECTED])
def test_only_published_cases_are_found(organisation, status):
    case_of(organisation, title="Geheim", status=status, what_they_did="uniekwoord")
    assert titles(published_cases(text="uniekwoord")) == []
    assert titles(published_cases()) == []


def test_filters_by_dimension_and_investment(organisation):
    case_of(organisation, title="Kennis", dimension_codes=["ontwikkelingen"], investment="kennis")
    case_of(organisation, title="Relaties", dimension_codes=["risicos", "koers"], investment="relaties")
    assert titles(published_cases(dimension="koers")) == ["Relaties"]
    assert titles(published_cases(investment="kennis")) == ["Kennis"]
    assert titles(published_cases(dimension="ontwikkelingen", investment="relaties")) == []


def test_the_index_follows_changes_and_deletions(organisation):
    case = case_of(organisation, title="Eerst", what_they_did="oudwoord")
    case.search_document = "nieuwwoord"
    case.save()
    assert titles(published_cases(text="oudwoord")) == []
    assert titles(published_cases(text="nieuwwoord")) == ["Eerst"]
    case.delete()
    assert titles(published_cases(text="nieuwwoord")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_fts5_triggers_exist():
    """SQLite drops a table's triggers when a migration rebuilds it: this fails when one did."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'learning_case'")
        assert {row[0] for row in cursor.fetchall()} == {
            "learning_case_fts_insert",
            "learning_case_fts_update",
            "learning_case_fts_delete",
        }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_gin_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'learning_case_search'")
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition
    assert "dutch" in definition


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(organisation, text):
    case_of(organisation, title="Gewoon")
    list(published_cases(text=text))
    list(published_cases(text=f"gewoon {text}"))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_through_the_page_is_answered(alice_client, organisation, text):
    response = alice_client.get(reverse("learning:cases"), {"q": text})
    assert response.status_code == 200


def test_fts5_operators_are_only_words():
    assert fts5_expression('a OR b NEAR("c" *') == '"a"* "OR"* "b"* "NEAR"* "c"*'
    assert fts5_expression('"*()') == ""


def test_a_long_query_is_cut_and_still_answered(organisation):
    list(published_cases(text="woord " * 500))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_searches_through_the_gin_index(organisation):
    case_of(organisation, title="Gewoon")
    query = search_cases(Case.objects.all(), "gewoon").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "learning_case_search" in plan
