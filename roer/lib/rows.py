"""What a database's files tell beyond the rows' values, and how to make them tell nothing.

A table's physical order is the order of its inserts (SQLite's rowid, PostgreSQL's ctid), and on
PostgreSQL each row carries the id of the transaction that wrote it (`xmin`), ascending with time: both
give away the order in which anonymous answers came, however random their keys. Rewriting a set of rows
in one transaction, in a random order, leaves neither. An erased or rewritten value stays in the file
until it is overwritten (SQLite, where `secure_delete` zeroes it at once) or vacuumed (PostgreSQL).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def rows_rewrite_shuffled(model: type[Model], **where: int | str) -> int:
    """Delete the rows of `model` that match `where` (column = value) and insert them again in a random
    order, in the caller's transaction. Rows that point at them keep pointing: Django makes foreign keys
    deferred, checked at commit, when the same keys are back. Returns the number of rows rewritten."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    condition = " AND ".join(f"{quote(column)} = %s" for column in where) or "1 = 1"
    values = list(where.values())
    copy = quote(f"{model._meta.db_table}_shuffled")
    # The table and column names are the model's own; the values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {copy}")
        cursor.execute(f"CREATE TEMPORARY TABLE {copy} AS SELECT {columns} FROM {table} WHERE {condition}", values)  # noqa: S608
        cursor.execute(f"DELETE FROM {table} WHERE {condition}", values)  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {copy} ORDER BY RANDOM()")  # noqa: S608
        rewritten = int(cursor.rowcount)
        cursor.execute(f"DROP TABLE {copy}")
    return rewritten


def tables_vacuum(*models: type[Model]) -> bool:
    """Free the dead row versions of the models' tables on PostgreSQL (VACUUM cannot run in a
    transaction: False then, and autovacuum follows later). SQLite needs nothing: `secure_delete`."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    return True
