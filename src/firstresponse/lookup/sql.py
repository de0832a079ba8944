"""Plain SQL for hot paths (a search, a bulk import), run on the session's driver connection.

A search runs about ten small statements; building and compiling each through SQLAlchemy
costs more than SQLite takes to run it. `rows` takes SQL written with `?` for one value
and `(?*)` for a list (one placeholder per item; an empty list matches nothing), and runs
it on the session's own connection, so in its transaction, on SQLite and PostgreSQL alike.
Values come back as the driver gives them: `as_date` reads a date either way; `bound`
gives a value as the driver takes it for a column (a date and time, say). `insert_many`
writes many rows of one table in one go, each value put through its column's type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Table, insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session

_PLACEHOLDER = re.compile(r"\(\?\*\)|\?")


def rows(db: Session, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Every row of `sql`; each `?` takes one of `params`, each `(?*)` a whole collection."""
    mark = "?" if db.get_bind().dialect.paramstyle == "qmark" else "%s"
    values: list[Any] = []
    given = iter(params)

    def fill(found: re.Match[str]) -> str:
        value = next(given)
        if found.group() == "?":
            values.append(value)
            return mark
        items: Collection[Any] = value
        values.extend(items)
        return "(" + (", ".join([mark] * len(items)) or "NULL") + ")"

    text = _PLACEHOLDER.sub(fill, sql)
    cursor = db.connection().connection.cursor()
    try:
        cursor.execute(text, values)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def as_date(value: date | str | None) -> date | None:
    """A DATE column's value: SQLite gives ISO text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def bound(db: Session, column: Column[Any], value: Any) -> Any:
    """`value` as the column's type hands it to the driver (SQLite keeps times as text)."""
    process = _processor(column, db.get_bind().dialect)
    return process(value) if process else value


def _processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How the column's type, as the dialect implements it, hands a value to the driver."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def insert_many(db: Session, table: Table, values: list[dict[str, Any]]) -> None:
    """INSERT every row of `values` (dicts naming the same columns, every one to be written).

    On SQLite straight to the driver; elsewhere through SQLAlchemy (which would also fill
    column defaults, so name them all).
    """
    if not values:
        return
    if db.get_bind().dialect.name != "sqlite":
        db.execute(insert(table), values)
        return
    names = list(values[0])
    dialect = db.get_bind().dialect
    processors = [_processor(table.c[name], dialect) for name in names]
    get = itemgetter(*names)
    listed = map(get, values) if len(names) > 1 else ((get(row),) for row in values)
    by_column = zip(*listed, strict=True)  # a column at a time: only typed ones are converted
    typed = (
        map(p, column) if p else column for column, p in zip(by_column, processors, strict=True)
    )
    found = list(zip(*typed, strict=True))
    columns, marks = ", ".join(names), ", ".join("?" * len(names))
    raw = db.connection().connection.driver_connection
    raw.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", found)  # type: ignore[union-attr]
