"""`column IN (a list of ids)` as a statement compiled once, whatever the list's length.

An expanding `IN (...)` is rewritten and re-rendered with one parameter per id on every
execution, which costs a push more than running the query. Here the list is one
parameter: a PostgreSQL text array (`column = ANY(:ids)`), or JSON text that SQLite
unpacks with `json_each`. Both use the column's index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Boolean, Text, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
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


class InIds(ColumnElement[bool]):
    """`column` is one of the ids bound as `name` (see the module docstring)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it stands (SQLite: no "= 1")
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.ids = bindparam(name, type_=IdList())


@compiles(InIds)
def _in_json(element: InIds, compiler: Any, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(InIds, "postgresql")
def _any_array(element: InIds, compiler: Any, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} = ANY({ids})"


def in_ids(column: Any, name: str = "ids") -> InIds:
    """The condition `column` IN the list bound as `name` (a list of str)."""
    return InIds(column, name)


def listed(ids: Iterable[str]) -> list[str]:
    """Ids as the sorted list to bind (one order, whatever set they came from)."""
    return sorted(set(ids))
