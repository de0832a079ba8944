"""A throwaway PostgreSQL schema on the server at 127.0.0.1:5432 (database `test`).

Outside CI, tests that need it are skipped, with the reason, only when that server is
unreachable (or psycopg is not installed). In CI (`CI` set to true, as every CI service
sets it) the same test fails instead: a run that silently skipped half of the hub's
tests would pass without having tested PostgreSQL at all.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


def in_ci(environ: Any = None) -> bool:
    """Whether this run is CI's: `CI` set to a true value (true, 1, yes)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Skip the test with `reason`, or in CI fail it."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a PostgreSQL test fails rather than skips)")
    pytest.skip(reason)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        unavailable(f"psycopg is not installed: {exc}")
    return psycopg


def postgres_schema(prefix: str) -> Iterator[str]:
    """Yield a SQLAlchemy URL whose search_path is a fresh schema; drop it afterwards."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL on 127.0.0.1:5432 (db test) is unreachable: {exc}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{URL}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


# The catalogue of a schema, as text: its relations, columns, constraints, indexes,
# triggers, functions and types. Two schemas' differ when any of these differ.
_SHAPE = """
SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM (
  SELECT 'r ' || relname || ' ' || relkind::text AS x FROM pg_class
   WHERE relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'c ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = %(schema)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'k ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
   WHERE connamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'i ' || pg_get_indexdef(i.indexrelid) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 't ' || tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT 'f ' || proname || ' ' || md5(prosrc) FROM pg_proc
   WHERE pronamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'y ' || typname FROM pg_type WHERE typnamespace = %(schema)s::regnamespace
) shape
"""


class SchemaPool:
    """Migrated schemas one process hands out in turn: a test takes one, and gives it back
    emptied, as its migration left it, for the next (migrating anew costs about a second
    of DDL a test on a loaded server; emptying, a few milliseconds).

    `migrate(url)` makes a new schema what the tests need. On its return a schema is
    checked against the first one's shape (relations, columns, constraints, indexes,
    triggers, functions, types) and its seed rows (what the migration itself wrote,
    such as alembic_version); a test that changed either has its schema dropped, not
    reused. Every other table is emptied and every sequence restarted, so the next test
    sees exactly a freshly migrated schema.
    """

    def __init__(self, prefix: str, migrate: Any) -> None:
        self.prefix = prefix
        self.migrate = migrate
        self.free: list[str] = []
        self.made: list[str] = []
        self.conn: Any = None
        self.shape = ""
        self.seeds: dict[str, str] = {}  # table -> hash of the rows the migration wrote
        self.tables: list[str] = []
        self.sequences: list[str] = []

    def _connect(self) -> Any:
        if self.conn is None:
            psycopg = _psycopg()
            try:
                self.conn = psycopg.connect(DSN, autocommit=True)
            except psycopg.OperationalError as exc:
                unavailable(f"PostgreSQL on 127.0.0.1:5432 (db test) is unreachable: {exc}")
        return self.conn

    @staticmethod
    def url(schema: str) -> str:
        return f"{URL}?options=-csearch_path%3D{schema}"

    def _rows(self, schema: str, table: str) -> str:
        rows = "coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')"
        query = f'SELECT md5({rows}) FROM {schema}."{table}" t'
        return str(self.conn.execute(query).fetchone()[0])

    def _state(self, schema: str) -> tuple[str, dict[str, str]]:
        shape = str(self.conn.execute(_SHAPE, {"schema": schema}).fetchone()[0])
        return shape, {table: self._rows(schema, table) for table in self.seeds}

    def take(self) -> str:
        conn = self._connect()
        if self.free:
            return self.free.pop()
        schema = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        conn.execute(f"CREATE SCHEMA {schema}")
        self.made.append(schema)
        self.migrate(self.url(schema))
        if not self.shape:
            named = (
                "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace"
                " AND relkind = %s"
            )
            self.tables = sorted(r[0] for r in conn.execute(named, (schema, "r")))
            self.sequences = sorted(r[0] for r in conn.execute(named, (schema, "S")))
            for table in self.tables:
                if conn.execute(f'SELECT EXISTS (SELECT FROM {schema}."{table}")').fetchone()[0]:
                    self.seeds[table] = self._rows(schema, table)
            self.shape = self._state(schema)[0]
        return schema

    def give_back(self, schema: str) -> None:
        try:
            self.conn.execute("SET lock_timeout = '10s'")
            if self._state(schema) != (self.shape, self.seeds):
                raise LookupError("the test changed the schema or its seed rows")
            with self.conn.transaction():
                self.conn.execute("SET LOCAL session_replication_role = replica")  # no FK order
                for table in self.tables:
                    if table not in self.seeds:
                        self.conn.execute(f'DELETE FROM {schema}."{table}"')
                for sequence in self.sequences:
                    self.conn.execute(f'ALTER SEQUENCE {schema}."{sequence}" RESTART')
        except Exception:
            self.drop(schema)
        else:
            self.free.append(schema)

    def drop(self, schema: str) -> None:
        self.conn.execute("SET lock_timeout = 0")
        self.conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.made.remove(schema)

    def close(self) -> None:
        if self.conn is not None:
            for schema in list(self.made):
                self.drop(schema)
            self.conn.close()
            self.conn = None
