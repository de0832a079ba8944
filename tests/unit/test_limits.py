"""records.limits: one definition of every bound, applied as terminal records are queued."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlmodel import select

from firstresponse.records import Child, Person, limits
from firstresponse.store import Store, outbox


def test_every_text_field_is_bounded_names_by_name_rules() -> None:
    assert limits.problems("person", {"forename": "A" * 100, "surname": "Marsh"}) == []
    (problem,) = limits.problems("person", {"forename": "A" * 101})
    assert problem == "forename is 101 characters long; a name may have at most 100"
    (problem,) = limits.problems("incident", {"created_by": "x" * 201})
    assert "created_by is 201 characters long" in problem  # a field not listed: LINE
    assert limits.problems("incident", {"summary": "line one\nline two\ttab"}) == []
    (problem,) = limits.problems("incident", {"summary": "bell\x07"})
    assert "U+0007" in problem


def test_names_hold_no_control_characters_line_breaks_or_bidi_overrides() -> None:
    for bad in ("An\x00na", "Ann\na", "Ann\u202ea"):
        (problem,) = limits.problems("child", {"name": bad})
        assert "control character" in problem
    assert limits.problems("child", {"name": "Zoë O'Brien-Ní Bhriain"}) == []


def test_dates_of_birth_are_not_in_the_future_nor_absurdly_old() -> None:
    today = limits.latest_uk_date()
    assert limits.problems("person", {"dob": today.isoformat()}) == []
    (problem,) = limits.problems("person", {"dob": "2999-01-01"})
    assert problem == "dob 2999-01-01 is in the future"
    old = date(today.year - limits.MAX_AGE_YEARS - 1, 1, 1)
    assert "years ago" in limits.problems("child", {"dob": old.isoformat()})[0]
    assert limits.dob_problem("dob", today + timedelta(days=1), today) is not None
    assert "not a date" in limits.problems("person", {"dob": "x" * 1000})[0]


def test_json_fields_are_capped_and_hold_no_nul() -> None:
    big = {"notes": "x" * limits.MAX_JSON_CHARS}
    assert "characters of JSON" in limits.problems("assessment", {"answers": big})[0]
    assert "NUL" in limits.problems("auditevent", {"detail": {"a": ["b\x00"]}})[0]
    assert limits.problems("assessment", {"answers": {"q": "yes"}}) == []


def test_integers_fit_in_64_bits_and_codes_still_hold() -> None:
    assert limits.problems("assessment", {"version": 2**63 - 1}) == []
    assert limits.problems("assessment", {"version": -(2**63)}) == []
    for huge in (2**63, -(2**63) - 1, 10**30):
        (problem,) = limits.problems("assessment", {"version": huge})
        assert problem == "version is too large for a 64-bit integer"
    assert limits.problems("assessment", {"reviewed": True, "score": 1.5, "x": None}) == []
    assert "not one of the codes" in limits.problems("person", {"ethnicity": "ZZ"})[0]


def test_a_megabyte_field_is_refused_at_once() -> None:
    body = {"forename": "a" * 1_000_000, "surname": "b" * 1_000_000}
    started = time.perf_counter()
    found = limits.problems("person", body)
    assert len(found) == 2
    assert time.perf_counter() - started < 0.5  # generous: a length test, not a scan


def test_the_terminal_refuses_to_queue_a_record_outside_its_bounds(store: Store) -> None:
    with pytest.raises(limits.InvalidRecord, match="U\\+0000"), store.session() as db:
        outbox.enqueue_record(db, Person(forename="An\x00na", surname="Lee"))
    with store.session() as db:
        person = Person(forename="Anna", surname="Lee")
        outbox.enqueue_record(db, person)
        with pytest.raises(limits.InvalidRecord, match="age 300"):
            outbox.enqueue_record(db, Child(incident_id="x", name="Mia", age=300))
    with store.session() as db:
        assert [p.forename for p in db.exec(select(Person))] == ["Anna"]
