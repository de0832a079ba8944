"""Hub fixtures, parametrised over SQLite and the PostgreSQL on 127.0.0.1:5432 (db `test`).

On PostgreSQL each test gets a schema of its own, so runs never collide. PostgreSQL tests
are skipped, with the reason, only when the server is unreachable.

A test with a running `hub` starts on a database as a new hub's migration leaves it,
without migrating one per test: on SQLite a copy of one database migrated for the
session; on PostgreSQL a schema from this process's pool (tests.postgres.SchemaPool),
emptied to that state between tests. A test that asks only for `hub_target` still gets
a new, empty SQLite path or schema, for the tests that migrate a hub database themselves.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from firstresponse.hub.db import hub_engine, is_url
from tests.hub.support import Hub, serve
from tests.postgres import SchemaPool, postgres_schema


@pytest.fixture(scope="session")
def migrated_hub_schemas() -> Iterator[SchemaPool]:
    pool = SchemaPool("hubpool", lambda url: hub_engine(url).dispose())
    yield pool
    pool.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "hub.db")
    elif "hub" in request.fixturenames:  # migrated by the pool, for the hub to serve
        pool: SchemaPool = request.getfixturevalue("migrated_hub_schemas")
        schema = pool.take()
        yield pool.url(schema)
        pool.give_back(schema)
    else:
        yield from postgres_schema("hubtest")


@pytest.fixture(scope="session")
def migrated_hub_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite hub database migrated to the current schema, to copy from."""
    path = tmp_path_factory.mktemp("hub-template") / "hub.db"
    hub_engine(str(path)).dispose()
    assert not path.with_name(path.name + "-wal").exists()  # all of it is in the one file
    return path


@pytest.fixture
def hub(hub_target: str, migrated_hub_template: Path) -> Iterator[Hub]:
    if not is_url(hub_target):
        shutil.copyfile(migrated_hub_template, hub_target)
    yield from serve(hub_target)
