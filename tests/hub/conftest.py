"""Hub fixtures, parametrised over SQLite and the PostgreSQL on 127.0.0.1:5432 (db `test`).

On PostgreSQL each test gets a fresh schema (dropped afterwards), so runs never collide.
PostgreSQL tests are skipped, with the reason, only when the server is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.support import Hub, serve
from tests.postgres import postgres_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "hub.db")
    else:
        yield from postgres_schema("hubtest")


@pytest.fixture
def hub(hub_target: str) -> Iterator[Hub]:
    yield from serve(hub_target)
