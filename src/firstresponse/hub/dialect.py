"""What a hub engine is and how a session only reads from it, below everything that opens
one (`hub.db`) so the feed and its wakeup can ask without importing the opener."""

from __future__ import annotations

from sqlalchemy.engine import Engine

#: The execution option that makes a session read-only (a deferred transaction on SQLite).
READ_ONLY = "hub_read_only"


def reader(engine: Engine) -> Engine:
    """`engine` for sessions that only read (a deferred transaction on SQLite)."""
    return engine.execution_options(**{READ_ONLY: True})


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
