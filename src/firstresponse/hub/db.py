"""The hub's database: the record tables plus hub tables, migrated on open.

`url` is a SQLAlchemy URL (`postgresql+psycopg://user@host/db`) or a plain file path,
which means SQLite opened exactly like a terminal store (WAL, foreign keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

import firstresponse.hub.models  # noqa: F401  (registers the hub tables)
from firstresponse.store.engine import make_engine
from firstresponse.store.migrate import upgrade

ENV_DB = "FIRSTRESPONSE_HUB_DB"


def is_url(target: str) -> bool:
    return "://" in target


def hub_engine(target: str, migrate: bool = True) -> Engine:
    """An engine on `target` (URL or SQLite path), migrated to every head."""
    if is_url(target) and not target.startswith("sqlite"):
        engine = create_engine(target, pool_size=10, max_overflow=20, pool_pre_ping=True)
    else:
        path = target.removeprefix("sqlite:///") if is_url(target) else target
        engine = make_engine(Path(path))
    if migrate:
        upgrade(engine)
    return engine


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def serialise_audit(db: Session) -> None:
    """Hold the audit chain for this transaction so concurrent hubs cannot fork it.

    A database lock (PostgreSQL advisory, released at commit), not a process lock;
    SQLite writers are already serialised by BEGIN IMMEDIATE.
    """
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(727001)"))
