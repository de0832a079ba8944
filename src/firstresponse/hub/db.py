"""The hub's database: the record tables plus hub tables, migrated on open.

`url` is a SQLAlchemy URL (`postgresql+psycopg://user@host/db`) or a plain file path,
which means SQLite with a terminal store's pragmas: WAL, foreign keys and
synchronous=FULL (an acknowledged batch must survive a power cut, not only a crash of
the hub process; with WAL that costs one fsync per batch). Unlike a terminal, the hub
serves many requests at once, so its SQLite engine has a real connection pool, a longer
busy timeout (writers queue rather than fail), and read-only sessions (`reader`) that
begin a deferred transaction so that signing in does not wait for a writer.

On PostgreSQL each hub process holds at most `pool + overflow` connections (`PoolSize`,
from the settings), so `--workers N` on H hosts never asks for more than
N * H * (pool + overflow): a request that finds them all busy waits `timeout` seconds at
most, then the hub answers 503 with Retry-After (hub.busy) instead of hanging.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

import firstresponse.hub.models  # noqa: F401  (registers the hub tables)
from firstresponse.hub.dialect import READ_ONLY, is_postgres, reader
from firstresponse.store.engine import PRAGMAS
from firstresponse.store.migrate import upgrade

if TYPE_CHECKING:
    from firstresponse.config import Settings

ENV_DB = "FIRSTRESPONSE_HUB_DB"
SQLITE_BUSY_MS = 60_000
POOL = {"pool_size": 10, "max_overflow": 50, "pool_timeout": 60}  # SQLite: in-process only
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def sqlite_engine(path: Path) -> Engine:
    """The hub's SQLite engine on `path` (see the module docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)

    # Not the SingletonThreadPool SQLAlchemy picks for "sqlite://": past five threads it
    # closes connections that other threads are still using.
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, **POOL)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        for pragma in (*PRAGMAS, f"PRAGMA busy_timeout={SQLITE_BUSY_MS}"):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    _WRITERS[engine] = threading.Lock()
    return engine


@dataclass(frozen=True)
class PoolSize:
    """PostgreSQL connections one hub process may hold: `size` kept open, up to `overflow`
    more under load, and how long a request waits for a free one (seconds) before 503."""

    size: int
    overflow: int
    timeout: float

    def __post_init__(self) -> None:
        if self.size < 1 or self.overflow < 0 or self.timeout <= 0:
            raise ValueError(
                f"database pool: size {self.size} must be at least 1, overflow "
                f"{self.overflow} not negative, timeout {self.timeout} s above 0"
            )

    @classmethod
    def default(cls) -> PoolSize:
        from firstresponse.config import Settings

        return cls.from_settings(Settings())

    @classmethod
    def from_settings(cls, settings: Settings) -> PoolSize:
        return cls(
            settings.hub_db_pool_size,
            settings.hub_db_max_overflow,
            float(settings.hub_db_pool_timeout_seconds),
        )

    @property
    def most(self) -> int:
        """The most connections one process opens: its pool, and the one it listens on
        for changes filed by other processes (`hub.wakeup`)."""
        return self.size + self.overflow + 1

    def describe(self, workers: int = 1) -> str:
        return (
            f"database pool per process: {self.size} + {self.overflow} overflow, wait "
            f"{self.timeout:g} s then 503; {workers} worker(s) open at most "
            f"{workers * self.most} PostgreSQL connections on this host"
        )

    def engine_args(self) -> dict[str, Any]:
        return {
            "pool_size": self.size,
            "max_overflow": self.overflow,
            "pool_timeout": self.timeout,
        }


def connection_room(engine: Engine) -> int | None:
    """Connections PostgreSQL allows ordinary roles (max_connections less the reserved
    ones); None on SQLite."""
    if not is_postgres(engine):
        return None
    with engine.connect() as conn:
        allowed = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
        reserved = int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar_one())
    return allowed - reserved


def pool_report(engine: Engine, pool: PoolSize, workers: int) -> str:
    """What `pool` asks of the database at start, with a warning when `workers` processes
    on this host alone could ask PostgreSQL for more connections than it allows."""
    room = connection_room(engine)
    if room is None:
        return "database: SQLite (one file; the PostgreSQL pool settings do not apply)"
    line = pool.describe(workers) + f" (PostgreSQL allows {room})"
    if workers * pool.most > room:
        line += (
            "\nWARNING: more than PostgreSQL allows: lower hub_db_pool_size or "
            "hub_db_max_overflow, or raise max_connections (see the README, Deploying the hub)"
        )
    return line


def is_url(target: str) -> bool:
    return "://" in target


def hub_engine(target: str, migrate: bool = True, pool: PoolSize | None = None) -> Engine:
    """An engine on `target` (URL or SQLite path), migrated as a hub's database; on
    PostgreSQL its pool is `pool` (default: the settings' defaults)."""
    if is_url(target) and not target.startswith("sqlite"):
        sizing = (pool or PoolSize.default()).engine_args()
        engine = create_engine(target, pool_pre_ping=True, **sizing)
    else:
        path = target.removeprefix("sqlite:///") if is_url(target) else target
        engine = sqlite_engine(Path(path))
    if migrate:
        upgrade(engine, role="hub")
        from firstresponse.hub.feed import backfill_pending

        backfill_pending(engine)  # feed entries a migration noted as owed (0013)
    return engine


@contextmanager
def transaction(engine: Engine, read_only: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    On SQLite, writing transactions of this process take turns on a lock first: they
    queue in order instead of polling SQLite's busy handler (other processes on the
    same file still wait through the busy timeout).
    """
    turn = nullcontext() if read_only else _WRITERS.get(engine, nullcontext())
    bind = reader(engine) if read_only else engine
    with turn, Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


RECORD_LOCKS = 727002  # advisory-lock namespace for record ids (two-key form)


def lock_records(db: Session, ids: set[str] | list[str]) -> None:
    """Hold these record ids for this transaction against every other hub process.

    PostgreSQL advisory locks (released at commit), taken in one sorted order so two hubs
    never deadlock on them: whoever stores a version of a record first, the other then sees
    it, so versions never overwrite newer ones and nothing is judged against a stale view.
    SQLite writers are already serialised by BEGIN IMMEDIATE.
    """
    if ids and db.get_bind().dialect.name == "postgresql":
        db.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(:space, hashtext(id))) FROM "
                "(SELECT id FROM unnest(CAST(:ids AS text[])) AS id "
                "ORDER BY hashtext(id)) AS wanted"
            ),
            {"space": RECORD_LOCKS, "ids": sorted(set(ids))},
        )


def serialise_audit(db: Session) -> None:
    """Hold the audit chain for this transaction so concurrent hubs cannot fork it.

    A database lock (PostgreSQL advisory, released at commit), not a process lock;
    SQLite writers are already serialised by BEGIN IMMEDIATE.
    """
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(727001)"))
