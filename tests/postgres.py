"""A throwaway PostgreSQL schema on the server at 127.0.0.1:5432 (database `test`).

Tests that need it are skipped, with the reason, only when that server is unreachable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


def postgres_schema(prefix: str) -> Iterator[str]:
    """Yield a SQLAlchemy URL whose search_path is a fresh schema; drop it afterwards."""
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 (db test) is unreachable: {exc}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{URL}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()
