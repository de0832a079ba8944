"""records.validate: one rule for names and for when something happened, on every path
(a record queued on the terminal, the history import, the hub: tests/hub/test_bounds.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from firstresponse.records import Person, limits, validate
from firstresponse.store import Store, outbox
from tests.unit.test_import_bounds import people, run_import, victim
from tests.unit.test_import_history import csv_row

INVISIBLE = ("\u200f", "\u061c", "\u200b", "\u2028", "\u2029", "\u202e", "\ufeff", "\u00ad")


@pytest.mark.parametrize("char", INVISIBLE)
def test_a_name_holding_an_invisible_character_is_refused(char: str) -> None:
    for field in ("forename", "surname"):
        (problem,) = limits.problems("person", {field: f"Ann{char}e"})
        assert f"U+{ord(char):04X}" in problem and problem.startswith(field)
    assert validate.name_problem("name", f"Ann{char}e") is not None


def test_joiners_are_allowed_between_letters_only() -> None:
    persian = "\u0645\u06cc\u200c\u0631\u0632\u0627"  # a name spelt with a non-joiner
    assert validate.name_problem("forename", persian) is None
    assert validate.name_problem("forename", "\u200cAnn") is not None
    assert validate.name_problem("forename", "Ann\u200d") is not None
    assert limits.problems("person", {"forename": "Zoë", "surname": "O'Brien-Ní Bhriain"}) == []


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "=1+1", "+1+1", "-2", "@SUM(A1)"])
def test_a_formula_looking_name_is_refused_alike_for_forename_and_surname(value: str) -> None:
    problems = limits.problems("person", {"forename": value, "surname": value})
    assert len(problems) == 2 and all("formula" in p for p in problems)
    assert "formula" in limits.problems("dvdsapplication", {"subject_name": " " + value})[0]


def test_when_an_incident_happened_is_not_in_the_future() -> None:
    now = datetime.now(UTC)
    assert limits.problems("incident", {"occurred_at": now.isoformat()}) == []
    fast_clock = (now + validate.CLOCK_SKEW - timedelta(minutes=1)).isoformat()
    assert limits.problems("incident", {"occurred_at": fast_clock}) == []
    (problem,) = limits.problems("incident", {"occurred_at": "9999-12-31T23:59:00"})
    assert problem.startswith("occurred_at 9999-12-31") and "in the future" in problem
    assert "before 1900" in limits.problems("incident", {"occurred_at": "1066-10-14T09:00"})[0]
    assert "not a date" in limits.problems("incident", {"occurred_at": "soon"})[0]


def test_the_terminal_refuses_to_queue_such_a_person(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        with pytest.raises(limits.InvalidRecord, match="formula"), store.session() as db:
            outbox.enqueue_record(db, Person(forename='=HYPERLINK("x")', surname="Lee"))
    finally:
        store.close()


def test_the_import_applies_the_same_rule_to_every_name_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        victim("WM1", "P1"),
        victim("WM2", "P2", forename='=HYPERLINK("http://x")'),
        victim("WM3", "P3", surname="=1+1"),
        victim("WM4", "P4", forename="An\u2028n"),
        victim("WM5", "P5", surname="Lee\u200f"),
        victim("WM6", "P6", forename="Ann\u200b"),
        victim("WM7", "P7", surname="Lee\u061c"),
        csv_row(
            incident_ref="WM8",
            occurred_at="9999-01-01 10:00",
            role="victim",
            person_ref="P8",
            forename="Ann",
            surname="Lee",
        ),
        victim("WM9", "P9"),
    ]
    code, source, db = run_import(tmp_path, rows)
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    reasons = dict(line.removeprefix(f"{source}:").split(": ", 1) for line in err.splitlines())
    assert "formula" in reasons["3"] and "formula" in reasons["4"]  # forename and surname alike
    assert "U+2028" in reasons["5"]  # refused, not turned into a space
    assert "U+200F" in reasons["6"] and "U+200B" in reasons["7"] and "U+061C" in reasons["8"]
    assert "in the future" in reasons["9"]
    assert people(db) == {"P1", "P9"}
