"""The case library's full-text index: a GIN index with the Dutch configuration on PostgreSQL, an FTS5
table kept in step by triggers on SQLite (see roer/learning/search.py).

SQLite rebuilds a table to alter it, which drops its triggers: a later migration that alters
learning_case must run `sqlite_triggers` again (tests/learning/test_search.py checks they exist)."""

from django.db import migrations

POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS learning_case_search ON learning_case "
    "USING gin (to_tsvector('dutch'::regconfig, search_document))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS learning_case_search"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS learning_case_fts USING fts5("
    "search_document, content='learning_case', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS learning_case_fts_insert AFTER INSERT ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER IF NOT EXISTS learning_case_fts_delete AFTER DELETE ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(learning_case_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER IF NOT EXISTS learning_case_fts_update AFTER UPDATE ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(learning_case_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO learning_case_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "INSERT INTO learning_case_fts(learning_case_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS learning_case_fts_insert",
    "DROP TRIGGER IF EXISTS learning_case_fts_delete",
    "DROP TRIGGER IF EXISTS learning_case_fts_update",
    "DROP TABLE IF EXISTS learning_case_fts",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_CREATE])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_DROP])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
