"""Every command that takes a database refuses the wrong kind in one plain line, and no
command makes a hub database out of a typo or a missing flag: only `hub` and the first
admin do. PostgreSQL cases run on the server at 127.0.0.1:5432 (database `test`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from firstresponse.cli import main
from firstresponse.store import Store
from tests.postgres import postgres_schema

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder and data folder with nothing in them; the admin's PIN set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_DATA_DIR", str(tmp_path / "data"))
    for name in ("HUB_DB", "COLLAR", "NEW_PIN", "STORE_KEY", "DB_PATH"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - no terminal
    return tmp_path


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    "argv",
    [
        ["import-history", "x.csv", "--db", PG],
        ["--db", PG, "lookup", "Nadia", "--as", "CH1001"],
        ["--db", PG, "users", "list", "--as", "AD4001"],
        ["--db", "sqlite:///t.db", "outbox"],
        ["demo-data", "--people", "10", "--db", PG],
    ],
)
def test_a_url_where_a_stores_path_is_wanted(
    argv: list[str], here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "x.csv").write_text("incident_ref\n", encoding="utf-8")
    before = _files(here)
    assert main(argv) == 2
    assert "--db takes the file path of a terminal's store, not a URL" in _one_line(capsys)
    assert _files(here) == before  # no folder named "postgresql+psycopg:", no store


@pytest.mark.parametrize(
    "argv",
    [
        ["devices", "list", "--as", "AD4001"],
        ["devices", "revoke", "MDT-1", "--as", "AD4001"],
        ["devices", "enrol", "MDT-1", "--as", "AD4001", "--hub-db", "hub-typo.db"],
        ["devices", "list", "--as", "AD4001", "--db", "data/hub.db"],
        ["users", "list", "--as", "AD4001", "--hub-db", "hub-typo.db"],
        ["users", "lock", "PC2001", "--as", "AD4001", "--hub-db", "hub-typo.db"],
    ],
)
def test_no_hub_database_is_made_by_a_missing_flag_or_a_typo(
    argv: list[str], here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) != 0
    assert "no hub database at " in _one_line(capsys)
    assert _files(here) == set()


def test_not_a_database_and_not_a_hub(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["devices", "list", "--as", "AD4001", "--hub-db", "https://hub:8700"]) == 2
    assert "https://hub:8700 is not a database" in _one_line(capsys)
    Store(here / "terminal.db").close()
    tables = set(inspect(create_engine(f"sqlite:///{here / 'terminal.db'}")).get_table_names())
    for argv in (
        ["hub", "--hub-db", "terminal.db", "--migrate-only"],
        ["users", "add", "AD4001", "--name", "A", "--role", "admin", "--hub-db", "terminal.db"],
        ["devices", "list", "--as", "AD4001", "--hub-db", "terminal.db"],
    ):
        monkeypatch.setenv("FIRSTRESPONSE_NEW_PIN", "1234")
        assert main(argv) != 0
        assert "terminal.db is a terminal's store, not a hub database" in _one_line(capsys)
    after = set(inspect(create_engine(f"sqlite:///{here / 'terminal.db'}")).get_table_names())
    assert after == tables and "hub_device" not in after
    assert main(["setup", "--hub", "hub.db", "--token=t"]) == 2
    assert "--hub is the hub's web address" in _one_line(capsys)


def test_only_the_hub_and_the_first_admin_make_one(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_NEW_PIN", "1234")
    first = ["users", "add", "AD4001", "--name", "Hub Admin", "--role", "admin"]
    assert main([*first, "--hub-db", "new/hub.db"]) == 0
    assert main(["hub", "--hub-db", "other.db", "--migrate-only"]) == 0
    capsys.readouterr()
    assert main(["devices", "list", "--as", "AD4001", "--hub-db", "new/hub.db"]) == 0
    assert main(["devices", "list", "--as", "AD4001", "--hub-db", "other.db"]) == 2
    assert "collar number or PIN not recognised" in _one_line(capsys)
    enrol = ["devices", "enrol", "MDT-1", "--as", "AD4001", "--hub-db", "new/hub.db"]
    assert main([*enrol, "--hub-url", "hub.force.example"]) == 2  # a web address is wanted
    assert "--hub-url is the hub's web address" in _one_line(capsys)


@pytest.fixture
def pg_schema() -> Iterator[str]:
    yield from postgres_schema("clitest")


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_left_as_it_is(
    pg_schema: str, here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for argv in (
        ["devices", "list", "--as", "AD4001", "--hub-db", pg_schema],
        ["users", "list", "--as", "AD4001", "--hub-db", pg_schema],
        ["import-history", "x.csv", "--hub-db", pg_schema],
    ):
        (here / "x.csv").write_text("incident_ref\n", encoding="utf-8")
        assert main(argv) != 0
        assert "holds no hub database yet" in _one_line(capsys)
    engine = create_engine(pg_schema)
    assert inspect(engine).get_table_names() == []
    monkeypatch.setenv("FIRSTRESPONSE_NEW_PIN", "1234")
    first = ["users", "add", "AD4001", "--name", "Hub Admin", "--role", "admin"]
    assert main([*first, "--hub-db", pg_schema]) == 0
    assert "hub_device" in inspect(engine).get_table_names()
    engine.dispose()
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=2"
    assert main(["devices", "list", "--as", "AD4001", "--hub-db", unreachable]) == 2
    assert _one_line(capsys).startswith("firstresponse devices: cannot open postgresql+psycopg")


def test_several_hub_processes_need_postgresql(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite is one process's: `--workers 2` on it is refused before anything is made."""
    assert main(["hub", "--hub-db", "hub.db", "--workers", "2"]) == 2
    assert "several --workers need PostgreSQL" in _one_line(capsys)
    assert "hub.db" not in _files(here)
