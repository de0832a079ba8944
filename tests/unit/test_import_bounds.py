"""import-history holds every cell to records.limits: each bad row is one `FILE:LINE: reason`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from firstresponse.cli import main
from tests.unit.test_import_history import HEADER, csv_row


def victim(ref: str, person: str, **cells: str) -> str:
    fields = {"forename": "Ann", "surname": "Lee", **cells}
    return csv_row(
        incident_ref=ref, occurred_at="2024-02-02", role="victim", person_ref=person, **fields
    )


def people(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {ref for (ref,) in conn.execute("SELECT source_ref FROM person")}
    finally:
        conn.close()


def run_import(tmp_path: Path, rows: list[str]) -> tuple[int, Path, Path]:
    """Import `rows` under the header into a new store: (exit code, file, store)."""
    source = tmp_path / "extract.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    return main(["import-history", str(source), "--db", str(db)]), source, db


def test_bad_cells_are_each_one_plain_line_and_good_rows_still_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        victim("WM1", "P1"),
        victim("WM2", "P2", forename="An\x00na"),
        victim("WM3", "P3", dob="2999-01-01"),
        victim("WM4", "P4", summary="x" * 5_000_000),
        victim("WM5", "P5", surname="L" * 101),
        victim("WM6", "P6", dob="1850-01-01"),
        victim("WM7", "P7", address="1 High St\x1b[2J"),
        victim("WM8", "P8"),
    ]
    code, source, db = run_import(tmp_path, rows)
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err
    lines = out.err.strip().splitlines()
    assert len(lines) == 6, lines
    reasons = dict(line.removeprefix(f"{source}:").split(": ", 1) for line in lines)
    assert "control character (U+0000)" in reasons["3"]
    assert "2999-01-01 is in the future" in reasons["4"]
    assert "longer than" in reasons["5"] and "row not read" in reasons["5"]
    assert "surname is 101 characters long" in reasons["6"]
    assert "1850-01-01 is more than" in reasons["7"]
    assert "control character (U+001B)" in reasons["8"]
    assert people(db) == {"P1", "P8"}
    assert "8 rows read: 2 imported, 6 bad." in out.out
