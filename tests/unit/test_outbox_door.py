"""One door into the outbox: `enqueue_record` picks every version (`next_version`), so no
two envelopes share a record's (id, version) and a resend never repeats one."""

from __future__ import annotations

import inspect
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from firstresponse.records import Incident, OutboxItem, Person
from firstresponse.store import Store, outbox
from firstresponse.sync import held


def _pairs(store: Store) -> Counter[tuple[str, int]]:
    with store.session() as db:
        return Counter((i.record_id, i.version) for i in db.exec(select(OutboxItem)))


def test_the_same_record_queued_twice_goes_out_as_two_versions(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Tam", surname="Twiceover")
        first = outbox.enqueue_record(db, person)
        person.phone = "07700 900123"
        second = outbox.enqueue_record(db, person)
    assert (first.version, second.version) == (1, 2)
    assert max(_pairs(store).values()) == 1


def test_a_change_to_a_pulled_record_goes_out_after_the_hubs_version(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Hal", surname="Hubheld")
        outbox.note_hub_versions(db, {person.id: 3})
        assert outbox.enqueue_record(db, person).version == 4


def test_a_floor_is_the_least_version_and_never_lowers_one(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Flo", surname="Floorman")
        db.add(person)
        db.flush()
        incident = Incident(reference="F-1", occurred_at=datetime.now(UTC), victim_id=person.id)
        assert outbox.enqueue_record(db, incident, floor=3).version == 3
        assert outbox.enqueue_record(db, incident, floor=3).version == 4


def test_no_caller_picks_a_version_and_there_is_one_door() -> None:
    params = inspect.signature(outbox.enqueue_record).parameters
    assert "version" not in params
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY
        for n, p in params.items()
        if n not in ("session", "record")
    )
    assert not hasattr(outbox, "enqueue_change")
    with pytest.raises(TypeError):
        outbox.enqueue_record(None, Person(forename="A", surname="B"), version=2)  # type: ignore[arg-type, call-arg]


def test_a_parent_sent_for_a_held_record_goes_once(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Pia", surname="Parentheld")
        db.add(person)
    with store.session() as db:
        assert held.send_parent(db, f"person:{person.id}")
        assert held.send_parent(db, f"person:{person.id}")  # already waiting: not again
    assert _pairs(store) == Counter({(person.id, 1): 1})
