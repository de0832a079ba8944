"""One linear schema history: databases made by an earlier release upgrade without losing a row."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from firstresponse.hub.db import hub_engine
from firstresponse.store import Store
from firstresponse.store.migrate import HUB_TABLES, current_revisions, head_revisions
from firstresponse.store.migrations import versions
from firstresponse.store.schema import HEAD

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
COUNTED = ("person", "incident", "child", "outboxitem", "auditevent", "lookup_key", "user")


def _counts(path: Path, tables: tuple[str, ...]) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t in present
        }


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copyfile(LEGACY / name, target)
    return target


def test_the_history_is_linear() -> None:
    assert len(head_revisions()) == 1
    files = Path(versions.__file__).parent.glob("*.py")
    texts = [f.read_text() for f in files if f.name != "__init__.py"]
    assert all("branch_labels = None" in t for t in texts)


def test_a_terminal_store_from_the_branched_release_upgrades_and_sheds_the_hub_tables(
    tmp_path: Path,
) -> None:
    path = _copy("terminal.db", tmp_path)
    before = _counts(path, COUNTED)
    assert before["person"] > 0 and before["outboxitem"] > 0
    store = Store(path)
    try:
        assert current_revisions(store.engine) == head_revisions()
        tables = set(inspect(store.engine).get_table_names())
        assert not tables & set(HUB_TABLES)
        assert "sync_cursor" in tables
    finally:
        store.close()
    after = _counts(path, COUNTED)
    gained = after.pop("lookup_key") - before.pop("lookup_key")
    assert after == before
    with sqlite3.connect(path) as conn:  # filed before name-and-year keys: given them (0011)
        added = conn.execute("SELECT COUNT(*) FROM lookup_key WHERE key LIKE 'nny:%'").fetchone()
    assert gained == added[0] > 0


def test_a_hub_database_from_the_branched_release_upgrades_keeping_every_envelope(
    tmp_path: Path,
) -> None:
    path = _copy("hub.db", tmp_path)
    before = _counts(path, (*COUNTED, *HUB_TABLES))
    assert before["hub_envelope"] > 0 and before["hub_device"] == 1
    engine = hub_engine(str(path))
    try:
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()
    assert _counts(path, (*COUNTED, *HUB_TABLES)) == before


def test_a_new_terminal_store_has_no_hub_tables(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert not tables & set(HUB_TABLES)


def test_a_new_hub_database_has_its_tables(tmp_path: Path) -> None:
    engine = hub_engine(str(tmp_path / "hub.db"))
    try:
        assert set(HUB_TABLES) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_store_with_hub_rows_keeps_them(tmp_path: Path) -> None:
    """A terminal store is never made to lose rows, even ones that should not be there."""
    path = _copy("terminal.db", tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO hub_device (id, name, token_hash, created_by, created_at, revoked_by)"
            " VALUES ('d1', 'odd', 'h', 'AD4001', '2026-01-01 00:00:00', '')"
        )
    Store(path).close()
    assert _counts(path, ("hub_device",)) == {"hub_device": 1}


def _open(path: Path) -> None:
    if path.name == "terminal.db":
        Store(path).close()
    else:
        hub_engine(str(path)).dispose()


@pytest.mark.parametrize("name", ["terminal.db", "hub.db"])
def test_upgrading_twice_changes_nothing(tmp_path: Path, name: str) -> None:
    path = _copy(name, tmp_path)
    _open(path)
    first = _counts(path, COUNTED)
    _open(path)
    assert _counts(path, COUNTED) == first


def test_head_names_alembics_one_head() -> None:
    assert head_revisions() == {HEAD}


def test_a_store_at_head_opens_without_loading_alembic(tmp_path: Path) -> None:
    Store(tmp_path / "store.db").close()  # made and migrated: now at head
    opened = (
        "import sys; from pathlib import Path; from firstresponse.store import Store; "
        f"Store(Path({str(tmp_path / 'store.db')!r})).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    run = subprocess.run([sys.executable, "-c", opened], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
