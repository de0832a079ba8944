"""One schema truth: every table is declared in `firstresponse.records`, and a database
the migrations made (new, or upgraded from an earlier release) is exactly what those
declarations say for its role. The hub's own check, on SQLite and PostgreSQL, is
tests/hub/test_schema_drift.py."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from firstresponse.hub.db import hub_engine
from firstresponse.records import roles
from firstresponse.store import Store
from firstresponse.store.migrate import schema_drift, target_metadata

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
SRC = Path(__file__).resolve().parents[2] / "src" / "firstresponse"


def test_a_new_terminal_store_is_what_the_tables_declare(store: Store) -> None:
    assert schema_drift(store.engine, "terminal") == []


def test_a_terminal_store_from_an_earlier_release_upgrades_to_what_the_tables_declare(
    tmp_path: Path,
) -> None:
    path = tmp_path / "terminal.db"
    shutil.copyfile(LEGACY / "terminal.db", path)
    store = Store(path)
    try:
        assert schema_drift(store.engine, "terminal") == []
    finally:
        store.close()


def test_a_hub_database_from_an_earlier_release_upgrades_to_what_the_tables_declare(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hub.db"
    shutil.copyfile(LEGACY / "hub.db", path)
    engine = hub_engine(str(path))
    try:
        assert schema_drift(engine, "hub") == []
    finally:
        engine.dispose()


def _kinds(drift: list[object]) -> list[str]:
    """The kind of each change (a list of changes is one table's column changes)."""
    return [str((d[0] if isinstance(d, list) else d)[0]) for d in drift]  # type: ignore[index]


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("DROP INDEX ix_outboxitem_waiting", "add_index"),
        ("DROP TABLE order_party_review", "add_table"),
        ("CREATE TABLE stray (id INTEGER PRIMARY KEY)", "remove_table"),
        ("ALTER TABLE person ADD COLUMN nickname VARCHAR NOT NULL DEFAULT ''", "remove_column"),
        ("CREATE TABLE hub_feed_backfill (kind VARCHAR PRIMARY KEY)", "none"),
    ],
)
def test_the_check_sees_a_store_that_differs(store: Store, sql: str, found: str) -> None:
    """Each difference is found; a table declared for the hub only is not the terminal's
    to have or lack (0004 keeps hub tables that hold rows rather than lose them)."""
    with store.engine.begin() as conn:
        conn.execute(text(sql))
    assert _kinds(schema_drift(store.engine, "terminal")) == ([] if found == "none" else [found])


def test_each_role_has_its_own_tables_and_shares_the_rest() -> None:
    tables = target_metadata().tables.values()
    by_role = {r: {t.name for t in tables if roles.role_of(t) == r} for r in ("hub", "terminal")}
    assert {"hub_envelope", "hub_change", "hub_session", "hub_feed_backfill"} <= by_role["hub"]
    assert {"sync_cursor", "held_record", "known_hub_version", "form_draft"} <= by_role["terminal"]
    shared = {t.name for t in tables if roles.role_of(t) is None}
    assert {"person", "outboxitem", "lookup_key", "history_import", "order_party_review"} <= shared


def _declares_tables(path: Path) -> bool:
    """Whether a module declares a table: a `table=True` class or a `Table(name, metadata)`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and any(
            k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in node.keywords
        ):
            return True
        if (  # (a rich.Table has no MetaData after its title)
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "Table"
            and any("metadata" in ast.unparse(a).lower() for a in node.args[1:2])
        ):
            return True
    return False


def test_every_table_is_declared_in_the_records() -> None:
    """No module outside `records` declares a table Alembic would not see."""
    outside = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0] != "records" and _declares_tables(path)
    ]
    assert outside == []
    assert _declares_tables(SRC / "records" / "hub.py")  # the check sees a table class
    assert _declares_tables(SRC / "records" / "people.py")  # and a Table


def test_importing_the_records_imports_every_module_that_declares_a_table() -> None:
    declaring = sorted(
        f"firstresponse.records.{path.stem}"
        for path in (SRC / "records").glob("*.py")
        if _declares_tables(path)
    )
    probe = (
        f"import sys, firstresponse.records; print(sorted(set({declaring!r}) - set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert len(declaring) > 8
