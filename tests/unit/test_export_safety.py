"""export --format csv: cells a spreadsheet would run as formulas are made inert (OWASP)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from firstresponse.checklist import load_checklist
from firstresponse.cli import main
from firstresponse.config import Settings
from firstresponse.demo.cases import assessment, incident, person
from firstresponse.records import Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import record_review
from firstresponse.supervision.export import safe_cell, to_csv
from tests.unit.test_supervision_review import answers


def test_each_formula_start_is_neutralised_and_nothing_else_changes() -> None:
    rows = [
        {"a": "=1+1", "b": "+44 7700", "c": "-2", "d": "@SUM(A1)", "e": "\tx", "f": "\rx"},
        {"a": "Marsh", "b": 3, "c": -2.5, "d": "", "e": True, "f": "a=b"},
    ]
    text = to_csv(rows, list("abcdef"))
    dangerous, plain = list(csv.DictReader(io.StringIO(text)))
    assert dangerous == {
        "a": "'=1+1", "b": "'+44 7700", "c": "'-2", "d": "'@SUM(A1)", "e": "'\tx", "f": "'\rx"
    }  # fmt: skip
    assert plain == {"a": "Marsh", "b": "3", "c": "-2.5", "d": "", "e": "True", "f": "a=b"}
    assert safe_cell(-1) == -1 and safe_cell(None) is None


def test_cli_csv_export_of_hostile_text_is_inert(
    settings: Settings, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checklist = load_checklist(settings.checklists_dir / "dip_sample_review.toml")
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    with store.session() as db:
        db.add(
            User(
                collar="SG3001",
                name="Sergeant",
                role=Role.SUPERVISOR,
                team="=cmd",
                pin_hash=hash_pin("1234"),
            )
        )
        db.add(User(collar="PC2001", name="Officer", role=Role.RESPONDER, team="=cmd"))
        victim = person(db, "Ava", "Export")
        case = incident(db, "=HYPERLINK(1)", datetime(2026, 3, 2, 9, tzinfo=UTC), victim)
        assessment(db, case, "first_response", {"refuge_address": "+cmd|'/C calc'!A0"}, "PC2001")
        record_review(db, checklist, "SG3001", case.id, "PC2001", answers(feedback="@SUM(1)"))
    out = tmp_path / "figures.csv"
    args = ["--db", str(store.path), "export", "--from", "2026-01-01", "--to", "2099-12-31"]
    assert main([*args, "--as", "SG3001", "--format", "csv", "--out", str(out)]) == 0
    reviews_text = (tmp_path / "figures-reviews.csv").read_text(encoding="utf-8")
    [review] = list(csv.DictReader(io.StringIO(reviews_text)))
    assert review["incident_reference"] == "'=HYPERLINK(1)"
    assert review["team"] == "'=cmd"
    assert review["refuge_address"] == "'+cmd|'/C calc'!A0"
    assert review["feedback"] == "'@SUM(1)"
    for text in (reviews_text, out.read_text(encoding="utf-8")):
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
