"""The schema revision a database is at, read without loading Alembic.

Opening a store that is already at the newest revision is what nearly every start of a
command does; Alembic's import alone costs such a command most of its start, so it is
loaded (`store.migrate`) only when there is something to upgrade.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

#: The newest migration's revision (a test keeps it equal to Alembic's one head).
HEAD = "0016_pulled_waiting"


def at_head(engine: Engine) -> bool:
    """Whether the database records exactly `HEAD` (a new database records nothing)."""
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # no alembic_version table yet
        return False
    return found == [HEAD]
