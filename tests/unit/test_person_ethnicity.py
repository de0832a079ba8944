"""Self-defined ethnicity on the person record: the 18+1 codes, at the call, within bounds."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from firstresponse.calls import open_call
from firstresponse.records import OutboxItem, Person, limits
from firstresponse.store import Store
from firstresponse.vocab import ETHNICITIES, ETHNICITIES_SHORT, NOT_STATED, ethnicity_code
from tests.unit.test_calls_support import add_users, details


def test_the_code_list_is_the_18_plus_1() -> None:
    assert len(ETHNICITIES) == 19 and NOT_STATED in ETHNICITIES
    assert list(ETHNICITIES_SHORT) == list(ETHNICITIES)
    assert ethnicity_code("b2") == "B2"
    assert ethnicity_code("  white:   irish ") == "W2"
    assert ethnicity_code("Not stated") == "NS"
    assert ethnicity_code(" ") == ""
    with pytest.raises(ValueError, match="'W4' is not an 18\\+1 code"):
        ethnicity_code("W4")


def test_a_new_victim_at_the_call_keeps_the_ethnicity_given(store: Store) -> None:
    handler = add_users(store)["CH1001"]
    with store.session() as db:
        incident = open_call(db, handler, dataclasses.replace(details(), victim_ethnicity="a1"))
    with store.session() as db:
        victim = db.get(Person, incident.victim_id)
        assert victim is not None and victim.ethnicity == "A1"
        suspect = db.get(Person, incident.suspect_id)
        assert suspect is not None and suspect.ethnicity == ""  # not recorded


def test_an_ethnicity_outside_the_list_writes_nothing(store: Store) -> None:
    handler = add_users(store)["CH1001"]
    with pytest.raises(ValueError, match="not an 18\\+1 code"), store.session() as db:
        open_call(db, handler, dataclasses.replace(details(), victim_ethnicity="purple"))
    with store.session() as db:
        assert db.exec(select(Person)).all() == []
        assert db.exec(select(OutboxItem)).all() == []


def test_the_bounds_refuse_a_code_outside_the_list_and_allow_none() -> None:
    assert limits.problems("person", {"ethnicity": "W1"}) == []
    assert limits.problems("person", {"ethnicity": ""}) == []
    (problem,) = limits.problems("person", {"ethnicity": "Z9"})
    assert problem.startswith("ethnicity 'Z9' is not one of the codes: A1, A2")
    (problem,) = limits.problems("person", {"ethnicity": "x" * 300})
    assert "at most 200" in problem  # the length test first, nothing scanned
