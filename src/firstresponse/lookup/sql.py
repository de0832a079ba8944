"""Plain SQL for the lookup's hot paths, run straight on the session's driver connection.

A search runs about ten small statements; building and compiling each through SQLAlchemy
costs more than SQLite takes to run it. `rows` takes SQL written with `?` for one value
and `(?*)` for a list (one placeholder per item; an empty list matches nothing), and runs
it on the session's own connection, so in its transaction, on SQLite and PostgreSQL alike.
Values come back as the driver gives them: `as_date` reads a date either way; `bound`
gives a value as the driver takes it for a column (a date and time, say).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Column
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
    process = column.type.bind_processor(db.get_bind().dialect)
    return process(value) if process else value
