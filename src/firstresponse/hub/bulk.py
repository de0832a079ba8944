"""Many rows into one table in one statement, straight through the database driver.

SQLAlchemy's executemany builds and type-converts a parameter set per row through its
general machinery, which costs more per row than the database takes to store it. Here
the INSERT is compiled once per table, column list and database, each column's own bind
processor (dates as SQLite writes them, JSON as text) is applied directly, and the rows
go to the driver's executemany as they are: the same statement and the same stored
values, in the caller's transaction (savepoints included).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session

Processor = Callable[[Any], Any] | None


@cache
def _statement(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[Processor, ...], bool]:
    """(SQL, one bind processor per column, whether parameters are positional)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    processors = tuple(
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    )
    names = list(compiled.positiontup or []) if compiled.positional else sorted(compiled.params)
    if names != (list(columns) if compiled.positional else sorted(columns)):
        raise ValueError(f"{table.name}: compiled parameters {names} differ from {columns}")
    return str(compiled), processors, bool(compiled.positional)


def insert_rows(db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys, in the same order) into `table`."""
    if not rows:
        return
    connection = db.connection()
    columns = tuple(rows[0])
    sql, processors, positional = _statement(table, columns, connection.dialect)
    if any(processors):
        pairs = list(zip(columns, processors, strict=True))
        values = [
            [row[name] if process is None else process(row[name]) for name, process in pairs]
            for row in rows
        ]
    else:
        values = [[row[name] for name in columns] for row in rows]
    params: list[Any] = (
        [tuple(row) for row in values]
        if positional
        else [dict(zip(columns, row, strict=True)) for row in values]
    )
    connection.exec_driver_sql(sql, params)
