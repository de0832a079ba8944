"""import-history: bad rows reported by line; good rows still import; re-import is a no-op."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.history.csv_format import COLUMNS
from firstresponse.history.importer import FormatError, import_history
from firstresponse.store import Store

HEADER = ",".join(c.name for c in COLUMNS)


def csv_row(**cells: str) -> str:
    values = [cells.get(c.name, "") for c in COLUMNS]
    return ",".join(f'"{v}"' if "," in v else v for v in values)


GOOD = [
    csv_row(
        incident_ref="WM23/1",
        occurred_at="2023-04-11 22:40",
        role="victim",
        person_ref="P1",
        forename="Elizabeth",
        surname="Marsh",
        dob="07/03/1988",
        ethnicity="w1",
        phone="07700 900123",
        postcode="wr5 2dx",
        address="14 Kestrel Close, Worcester",
        aliases="nickname:Liz; previous_surname:Thornbury",
        markers="repeat_victim",
        relationship="partner",
        risk_level="high",
        grade="immediate",
        crime_recorded="yes",
        order_kind="marac",
        order_starts="2023-04-25",
    ),
    csv_row(
        incident_ref="WM23/1",
        occurred_at="2023-04-11 22:40",
        role="suspect",
        person_ref="P2",
        forename="Craig",
        surname="Holloway",
        ethnicity="Not stated",
        markers="police_workforce_suspect",
        order_kind="restraining_order",
        order_starts="2023-06-01",
        order_ends="2025-06-01",
    ),
    csv_row(
        incident_ref="WM23/1",
        occurred_at="2023-04-11 22:40",
        role="child",
        person_ref="P3",
        forename="Mia",
        surname="Marsh",
        dob="2018-09-12",
    ),
    csv_row(
        incident_ref="WM24/2",
        occurred_at="2024-01-02",
        role="victim",
        person_ref="P1",
        forename="Elizabeth",
        surname="Marsh",
    ),
]
BAD = [
    (csv_row(incident_ref="WM24/3", occurred_at="2024-13-01", role="victim", person_ref="P4",
             forename="Sam", surname="Pryce"), "occurred_at"),
    (csv_row(incident_ref="WM24/4", occurred_at="2024-02-02", role="suspect", person_ref="P5",
             forename="Dan", surname="Kettley"), "no valid victim"),
    (csv_row(incident_ref="WM24/5", occurred_at="2024-02-02", role="victim", person_ref="P6",
             forename="Priya", surname="Sandhu", phone="12"), "phone"),
    (csv_row(incident_ref="WM24/6", occurred_at="2024-02-02", role="witness", person_ref="P7",
             forename="Jo", surname="Reed"), "role"),
    (csv_row(incident_ref="WM24/7", occurred_at="2024-02-02", role="victim", person_ref="P8",
             forename="", surname="Reed"), "missing forename"),
    (csv_row(incident_ref="WM24/8", occurred_at="2024-02-02", role="victim", person_ref="P9",
             forename="Ann", surname="Lee", markers="very_scary"), "marker"),
    (csv_row(incident_ref="WM24/9", occurred_at="2024-02-02", role="victim", person_ref="P10",
             forename="Ann", surname="Lee", ethnicity="purple"), "not an 18+1 code"),
]  # fmt: skip


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    lines = [HEADER, GOOD[0], BAD[0][0], GOOD[1], BAD[1][0], GOOD[2], BAD[2][0], GOOD[3]]
    lines += [row for row, _ in BAD[3:]]
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = ("person", "personalias", "personmarker", "incident", "child", "protectiveorder")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_import(
    store: Store, extract: Path
) -> None:
    with store.session() as db:
        report = import_history(db, extract)
    bad = {b.line: b.reason for b in report.bad}
    expected = {3: "occurred_at", 5: "no valid victim", 7: "phone", 9: "role"}
    expected |= {10: "missing forename", 11: "marker", 12: "not an 18+1 code"}
    assert set(bad) == set(expected)
    for line, word in expected.items():
        assert word in bad[line]
    assert report.good_rows == len(GOOD)
    assert report.added["people"] == 3 and report.added["incidents"] == 2
    assert report.added["children"] == 1 and report.added["orders"] == 2
    conn = sqlite3.connect(store.path)
    restricted = dict(conn.execute("SELECT reference, restricted FROM incident"))
    assert restricted == {"WM23/1": 1, "WM24/2": 0}
    postcode, dob = conn.execute(
        "SELECT postcode, dob FROM person WHERE source_ref='P1'"
    ).fetchone()
    assert (postcode, dob) == ("WR5 2DX", "1988-03-07")
    ethnicity = dict(conn.execute("SELECT source_ref, ethnicity FROM person"))
    assert ethnicity == {"P1": "W1", "P2": "NS", "P3": ""}  # optional: blank is not recorded
    conn.close()


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, extract: Path) -> None:
    db = str(tmp_path / "store.db")
    assert main(["import-history", str(extract), "--db", db]) == 1
    first = table_counts(Path(db))
    assert main(["import-history", str(extract), "--db", db]) == 1
    assert table_counts(Path(db)) == first
    assert first["incident"] == 2 and first["person"] == 3


def test_a_clean_file_exits_zero_and_a_broken_header_exits_two(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    db = str(tmp_path / "store.db")
    assert main(["import-history", str(clean), "--db", db]) == 0
    broken = tmp_path / "broken.csv"
    broken.write_text("incident_ref,role\nWM1,victim\n", encoding="utf-8")
    assert main(["import-history", str(broken), "--db", db]) == 2
    assert main(["import-history", str(tmp_path / "absent.csv"), "--db", db]) == 2


def test_missing_columns_are_a_format_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("incident_ref,role\n", encoding="utf-8")
    with pytest.raises(FormatError, match="occurred_at"), store.session() as db:
        import_history(db, path)


def test_every_column_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    assert all(f"`{c.name}`" in doc for c in COLUMNS)


def test_the_documented_example_imports_cleanly(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "import-example.csv"
    assert main(["import-history", str(example), "--db", str(tmp_path / "s.db")]) == 0
