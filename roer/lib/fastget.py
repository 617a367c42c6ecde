"""Reading rows for the hottest path without the ORM's query compiler.

Compiling an ORM query costs about a tenth of a millisecond, more with joins. The questionnaire, the hot
path of a national roll-out, needs a handful of rows per request. `Select` writes one portable SELECT
(joins and equality conditions only; tested on SQLite and PostgreSQL) once per process and turns each row
into model instances with the same database converters the ORM applies, so the objects are the ones the
ORM would have built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class Part:
    """One model in the SELECT: its table alias and the fields to read (the primary key always)."""

    model: type[models.Model]
    alias: str
    fields: Sequence[str]


class Select:
    def __init__(self, parts: Sequence[Part], joins: str, where: str, suffix: str = "") -> None:
        """joins and where are SQL text over the aliases, written with model metadata by the caller;
        suffix follows the WHERE clause (a locking clause such as FOR SHARE)."""
        self.parts = parts
        self._columns: list[tuple[Part, list[models.Field[Any, Any]]]] = []
        selected = []
        quote = connection.ops.quote_name
        for part in parts:
            opts = part.model._meta
            names = list(dict.fromkeys([opts.pk.name, *part.fields]))
            # In the model's own order: Model.from_db pairs a partial row with the fields in that order.
            order = {field.name: index for index, field in enumerate(opts.concrete_fields)}
            fields = sorted((_concrete(part.model, name) for name in names), key=lambda field: order[field.name])
            self._columns.append((part, fields))
            selected += [f"{part.alias}.{quote(str(field.column))}" for field in fields]
        self.sql = f"SELECT {', '.join(selected)} {joins} WHERE {where}{suffix}"
        self._converters: list[list[Converter]] | None = None

    def _converters_for(self) -> list[list[Converter]]:
        if self._converters is None:
            converters = []
            for part, fields in self._columns:
                for field in fields:
                    column = field.get_col(part.alias)
                    converters.append(connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            self._converters = converters
        return self._converters

    def one(self, *params: str | int) -> list[models.Model | None] | None:
        """The instances of the first matching row, one per part (None for a LEFT JOINed part without a
        row), or None when nothing matches."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        converters = self._converters_for()
        values = list(row)
        for index, functions in enumerate(converters):
            for function in functions:
                values[index] = function(values[index], None, connection)
        instances: list[models.Model | None] = []
        position = 0
        for part, fields in self._columns:
            chunk = values[position : position + len(fields)]
            position += len(fields)
            if chunk[0] is None:
                instances.append(None)
                continue
            instance = part.model.from_db(connection.alias, [field.attname for field in fields], chunk)
            instances.append(instance)
        return instances


def table(model: type[models.Model], alias: str) -> str:
    return f"{connection.ops.quote_name(model._meta.db_table)} {alias}"


def column(model: type[models.Model], alias: str, field: str) -> str:
    return f"{alias}.{connection.ops.quote_name(str(_concrete(model, field).column))}"


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # pragma: no cover - a programming error
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field
