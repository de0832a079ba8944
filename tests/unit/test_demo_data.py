"""Synthetic force history: determinism, exact size, realistic shape, integrity."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.demo import generate, generate_history
from firstresponse.store import Store

AS_OF = date(2026, 11, 1)
TABLES = ("person", "personalias", "personmarker", "incident", "child", "protectiveorder")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def make(tmp_path: Path, name: str, people: int, seed: int, workers: int = 0) -> Path:
    path = tmp_path / name
    store = Store(path)
    try:
        generate_history(store.engine, people, seed, AS_OF, workers=workers)
    finally:
        store.close()
    return path


def test_same_seed_gives_identical_history(tmp_path: Path) -> None:
    first = dump(make(tmp_path, "a.db", 800, seed=11))
    second = dump(make(tmp_path, "b.db", 800, seed=11))
    other = dump(make(tmp_path, "c.db", 800, seed=12))
    assert first == second
    assert first["person"] != other["person"]


def test_worker_processes_do_not_change_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate, "BATCH_PEOPLE", 300)
    here = dump(make(tmp_path, "here.db", 900, seed=4, workers=0))
    pooled = dump(make(tmp_path, "pooled.db", 900, seed=4, workers=2))
    assert here == pooled


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = make(tmp_path_factory.mktemp("history"), "h.db", 4000, seed=2)
    return sqlite3.connect(path)


def scalar(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def test_exactly_the_people_asked_for_and_integrity_holds(history: sqlite3.Connection) -> None:
    assert scalar(history, "SELECT count(*) FROM person") == 4000
    assert history.execute("PRAGMA foreign_key_check").fetchall() == []
    incidents = scalar(history, "SELECT count(*) FROM incident")
    assert 0.35 * 4000 < incidents < 0.65 * 4000


def test_about_a_quarter_of_victims_are_repeat_victims(history: sqlite3.Connection) -> None:
    victims = scalar(history, "SELECT count(DISTINCT victim_id) FROM incident")
    repeats = scalar(
        history,
        "SELECT count(*) FROM (SELECT victim_id FROM incident GROUP BY victim_id"
        " HAVING count(*) > 1)",
    )
    assert 0.17 < repeats / victims < 0.32
    marked = scalar(history, "SELECT count(*) FROM personmarker WHERE marker='repeat_victim'")
    assert marked > 0.6 * repeats


def test_previous_partners_and_role_reversal(history: sqlite3.Connection) -> None:
    several = scalar(
        history,
        "SELECT count(*) FROM (SELECT victim_id FROM incident WHERE suspect_id IS NOT NULL"
        " GROUP BY victim_id HAVING count(DISTINCT suspect_id) > 1)",
    )
    serial = scalar(
        history,
        "SELECT count(*) FROM (SELECT suspect_id FROM incident WHERE suspect_id IS NOT NULL"
        " GROUP BY suspect_id HAVING count(DISTINCT victim_id) > 1)",
    )
    both_sides = scalar(
        history,
        "SELECT count(DISTINCT suspect_id) FROM incident WHERE suspect_id IN"
        " (SELECT victim_id FROM incident)",
    )
    assert several > 10 and serial > 10 and both_sides > 0


def test_children_are_people_linked_to_incidents(history: sqlite3.Connection) -> None:
    rows = history.execute(
        "SELECT c.person_id, p.dob, c.dob, m.marker FROM child c"
        " JOIN person p ON p.id = c.person_id"
        " LEFT JOIN personmarker m ON m.person_id = p.id AND m.marker = 'child'"
    ).fetchall()
    assert len(rows) > 100
    assert all(
        person_dob == child_dob and marker == "child" for _, person_dob, child_dob, marker in rows
    )


def test_markers_orders_aliases_and_restricted_incidents(history: sqlite3.Connection) -> None:
    markers = {m for (m,) in history.execute("SELECT DISTINCT marker FROM personmarker")}
    assert {
        "repeat_victim",
        "child",
        "mental_health",
        "vulnerable_adult",
        "language_need",
    } <= markers
    kinds = {k for (k,) in history.execute("SELECT DISTINCT kind FROM protectiveorder")}
    assert {"bail_conditions", "marac", "dvpo", "restraining_order"} <= kinds
    alias_kinds = {k for (k,) in history.execute("SELECT DISTINCT kind FROM personalias")}
    assert {"nickname", "previous_surname"} <= alias_kinds
    wrong = scalar(
        history,
        "SELECT count(*) FROM incident i WHERE i.restricted != EXISTS (SELECT 1 FROM personmarker m"
        " WHERE m.person_id = i.suspect_id AND m.marker = 'police_workforce_suspect')",
    )
    assert wrong == 0
    levels = {r for (r,) in history.execute("SELECT DISTINCT risk_level FROM incident")}
    assert levels == {"standard", "medium", "high"}
    assert scalar(history, "SELECT count(*) FROM incident WHERE grade IS NULL") == 0


def test_incidents_fall_within_the_history_window(history: sqlite3.Connection) -> None:
    first, last = history.execute(
        "SELECT min(occurred_at), max(occurred_at) FROM incident"
    ).fetchone()
    assert first >= "2021-11-01" and last < "2026-11-02"


def test_command_is_deterministic_and_refuses_a_second_run(tmp_path: Path) -> None:
    args = ["demo-data", "--people", "300", "--seed", "9", "--as-of", "2026-11-01"]
    assert main([*args, "--db", str(tmp_path / "one.db")]) == 0
    assert main([*args, "--db", str(tmp_path / "two.db")]) == 0
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")
    assert main([*args, "--db", str(tmp_path / "one.db")]) == 2


def test_a_large_load_builds_its_indexes_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def indexes(path: Path) -> list[tuple[str, str]]:
        conn = sqlite3.connect(path)
        try:
            return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='index'"))
        finally:
            conn.close()

    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    plain = make(tmp_path, "plain.db", 500, seed=3)
    monkeypatch.setattr(generate, "DEFER_INDEXES_FROM", 100)
    loaded = make(tmp_path, "loaded.db", 500, seed=3)
    assert indexes(loaded) == indexes(fresh)
    assert dump(loaded) == dump(plain)
