"""Open the terminal's local SQLite store: WAL, foreign keys, synchronous=FULL, migrated.

A store that cannot be opened (a folder given as its path, a damaged or cut-short file,
a full disk) raises `StoreError` with one plain line saying what to do (store.failures).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

import firstresponse.records  # noqa: F401  (registers every table)
from firstresponse.store.schema import at_head

P = ParamSpec("P")
R = TypeVar("R")

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",
)


def _plain_connector(path: Path) -> Callable[[], Any]:
    def connect() -> sqlite3.Connection:
        return sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)

    return connect


def make_engine(path: Path, key: str = "") -> Engine:
    """An engine for the store at `path`; with `key`, the file is SQLCipher-encrypted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {}
    if key:
        from firstresponse.store.encryption import dbapi, encrypted_connector

        connector = encrypted_connector(path, key)
        options["module"] = dbapi()  # SQLCipher's errors wrapped as SQLAlchemy's
    else:
        from firstresponse.store.encryption import require_plain

        require_plain(path)
        connector = _plain_connector(path)
    # Not the SingletonThreadPool SQLAlchemy picks for "sqlite://": past five threads it
    # closes connections that other threads are still using (a crash, not an error).
    engine = create_engine("sqlite://", creator=connector, poolclass=QueuePool, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None): begin explicitly.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Store:
    """The local store: an engine plus a session factory. Opening it migrates it."""

    def __init__(self, path: Path, key: str = "", migrate: bool = True) -> None:
        from firstresponse.store.audit_head import head_path, keep_head
        from firstresponse.store.failures import StoreError, cut_short, explain, folder_given

        self.path = path
        if path.is_dir():
            raise StoreError(folder_given(path))
        if short := cut_short(path):
            raise StoreError(short)
        try:
            self.engine = make_engine(path, key)
            if migrate and not at_head(self.engine):
                from firstresponse.store.migrate import upgrade

                upgrade(self.engine)
        except StoreError:
            raise
        except Exception as exc:
            if (line := explain(exc, path)) is None:
                raise
            if hasattr(self, "engine"):
                self.engine.dispose()
            raise StoreError(line) from exc
        keep_head(self.engine, head_path(path))  # the audit chain's head, outside the store

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def run(
        self, work: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`work(db, ...)` in a transaction of its own: how a screen calls a domain function
        written for the caller's transaction."""
        with self.session() as db:
            return work(db, *args, **kwargs)

    def close(self) -> None:
        self.engine.dispose()
