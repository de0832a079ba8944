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
