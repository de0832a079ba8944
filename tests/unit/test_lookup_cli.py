"""`firstresponse lookup`: JSON output, audited searches, clear errors."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import col, select

from firstresponse.cli import main
from firstresponse.config import Settings
from firstresponse.lookup import rebuild_index
from firstresponse.records import AuditEvent, Person
from firstresponse.security import audit
from firstresponse.security.users import create_user
from firstresponse.store import Store


@pytest.fixture
def seeded(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    monkeypatch.setenv("FIRSTRESPONSE_COLLAR", "CH1001")
    with store.session() as db:
        create_user(db, "CH1001", "Call Handler", "call_handler", "Control", "1234", actor="test")
        person = Person(
            forename="William", surname="Hartley", dob=date(1985, 3, 12), phone="07700 900123"
        )
        db.add(person)
        db.flush()
        rebuild_index(db)
    return str(settings.store_path)


def test_json_output_and_audit(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", seeded, "lookup", "Bill", "Hartly", "--dob", "1985", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "William Hartley"
    assert rows[0]["dob"] == "1985-03-12"
    assert "nickname Bill=William" in rows[0]["reasons"]
    assert "DOB year matches" in rows[0]["reasons"]
    store = Store(__import__("pathlib").Path(seeded))
    try:
        with store.session() as db:
            event = db.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
            assert event is not None
            assert (event.actor, event.action, event.subject_kind) == (
                "CH1001",
                "lookup",
                "search",
            )
            assert event.detail["query"] == {"name": "Bill Hartly", "dob": "1985"}
            assert event.detail["results"] == [rows[0]["person_id"]]
            assert audit.verify(db) == []
    finally:
        store.close()


def test_phone_only_as_collar(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--db", seeded, "lookup", "--phone", "+44 7700 900123", "--json", "--as", "CH1001"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)[0]["reasons"] == ["phone matches"]


def test_table_output(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", seeded, "lookup", "william", "hartley"]) == 0
    assert "William Hartley" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["lookup", "x", "--dob", "31/02/1985"], ["lookup", "--dob", "soon"], ["lookup"]],
)
def test_bad_input_exits_2(
    seeded: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", seeded, *argv]) == 2
    assert "firstresponse lookup:" in capsys.readouterr().err
