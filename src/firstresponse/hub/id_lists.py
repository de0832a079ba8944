"""`column IN (a list of ids)` as a statement compiled once, whatever the list's length.

An expanding `IN (...)` is rewritten and re-rendered with one parameter per id on every
execution, which costs a push more than running the query. Here the list is one
parameter: JSON text that SQLite unpacks with `json_each`, or a PostgreSQL text array
that `unnest` unpacks. Both use the column's index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Text, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class IdList(TypeDecorator[list[str]]):
    """A list of text ids as one bound value (a text array, or JSON text on SQLite)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(Text))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        ids = [str(one) for one in value]
        return ids if dialect.name == "postgresql" else orjson.dumps(ids).decode()


class EachId(FunctionElement[str]):
    """The ids bound as one list, as rows of one column: SQLite's `json_each` of the JSON
    text, PostgreSQL's `unnest` of the text array."""

    type = Text()
    inherit_cache = True
    name = "each_id"


@compiles(EachId)
def _json_each(element: EachId, compiler: Any, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(EachId, "postgresql")
def _unnest(element: EachId, compiler: Any, **kw: Any) -> str:
    return f"unnest({compiler.process(element.clauses, **kw)})"


def in_ids(column: Any, name: str = "ids") -> ColumnElement[bool]:
    """The condition `column` IN the list bound as `name` (a list of str):
    `column IN (SELECT value FROM json_each(:name) AS value)` on SQLite, `unnest` on
    PostgreSQL (each planned as a search of `column`'s index per id)."""
    ids = EachId(bindparam(name, type_=IdList()))
    condition: ColumnElement[bool] = column.in_(select(ids.column_valued("value")))
    return condition


def listed(ids: Iterable[str]) -> list[str]:
    """Ids as the sorted list to bind (one order, whatever set they came from)."""
    return sorted(set(ids))
