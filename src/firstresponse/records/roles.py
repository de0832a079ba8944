"""Which role's database a table is made on, and a model's table typed.

One schema history (`store.migrations`) serves both roles. Most tables are on every
database; a table that belongs to one role only says so where it is declared
(`__table_args__` or `Table(..., info=HUB_ONLY)`), and both the migrations' view of the
schema (`store.migrate.belongs`) and the test that compares a migrated database with
these declarations read it from there.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Table
from sqlmodel import SQLModel

DatabaseRole = Literal["terminal", "hub"]
#: `info` of a table made on hubs' databases only.
HUB_ONLY: dict[str, Any] = {"role": "hub"}
#: `info` of a table made on terminals' stores only.
TERMINAL_ONLY: dict[str, Any] = {"role": "terminal"}


def role_of(table: Table) -> DatabaseRole | None:
    """The one role whose databases have `table`, or None when every database has it."""
    role = table.info.get("role")
    if role == "terminal":
        return "terminal"
    if role == "hub":
        return "hub"
    return None


def belongs_on(table: Table, role: DatabaseRole) -> bool:
    """Whether a database of `role` has `table`."""
    return role_of(table) in (None, role)


def table_of(model: type[SQLModel]) -> Table:
    """The table a SQLModel table class is declared as (its `__table__`, typed)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table")
    return table
