"""Hub fixtures, parametrised over SQLite and the PostgreSQL on 127.0.0.1:5432 (db `test`).

On PostgreSQL each test gets a fresh schema (dropped afterwards), so runs never collide.
PostgreSQL tests are skipped, with the reason, only when the server is unreachable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.support import PG_ADMIN, Hub, add_users


def _postgres_schema() -> Iterator[str]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        pytest.skip("psycopg is not installed")
    dsn = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 (db test) is unreachable: {exc}")
    schema = f"hubtest_{uuid.uuid4().hex[:12]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_ADMIN}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "hub.db")
    else:
        yield from _postgres_schema()


@pytest.fixture
def hub(hub_target: str) -> Iterator[Hub]:
    server = Hub(hub_target)
    add_users(server.engine)
    server.start()
    yield server
    server.stop()
    server.engine.dispose()
