"""One registry of record kinds: every consumer (outbox, pull, hub) agrees with it."""

from __future__ import annotations

from typing import Any

import pytest

from firstresponse.hub.authorise import RULES
from firstresponse.hub.kinds import KINDS
from firstresponse.records import Kind, Person, PersonMarker, User, kind_of, table_of
from firstresponse.records.kinds import MODELS, kind_of_table, model_of
from firstresponse.store import Store, outbox
from firstresponse.sync.pull import PULLED, upsert


def test_every_kind_has_a_table_and_parents_come_first() -> None:
    assert list(MODELS) == list(Kind)
    seen: set[str] = set()
    for kind, model in MODELS.items():
        table: Any = table_of(model)
        parents = {fk.column.table.name for fk in table.foreign_keys} - {table.name}
        assert parents <= seen, f"{kind} refers to {parents - seen}, not yet stored"
        seen.add(table.name)


def test_a_record_names_its_kind_and_a_wire_name_its_table() -> None:
    assert kind_of(Person(forename="Al", surname="Kind")) is Kind.PERSON
    assert kind_of(PersonMarker(person_id="p", marker="violence")) == "marker"  # the wire name
    assert model_of("order") is MODELS[Kind.ORDER] and model_of("user") is None
    assert kind_of_table("auditevent") is Kind.AUDIT and kind_of_table("user") is None
    with pytest.raises(TypeError, match="User is not a record kind"):
        kind_of(User(collar="X1", name="x", role="admin"))


def test_the_hub_and_pull_take_their_kinds_from_the_registry() -> None:
    assert list(KINDS) == list(MODELS)
    assert all(KINDS[kind].model is MODELS[kind] for kind in Kind)
    assert set(RULES) == set(Kind)
    assert PULLED.issubset(Kind) and Kind.AUDIT not in PULLED


def test_the_outbox_files_a_record_under_its_own_kind(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Kim", surname="Kindly")
        first = outbox.enqueue_record(db, person)
        again = outbox.enqueue_record(db, person)
    assert (first.kind, first.version) == ("person", 1)
    assert (again.kind, again.version) == ("person", 2)
    assert type(first.kind) is str  # stored as the plain wire name


def test_pull_ignores_kinds_the_feed_never_sends(store: Store) -> None:
    with store.session() as db:
        assert not upsert(db, "audit", {"id": "a1", "actor": "X"})
        assert not upsert(db, "no-such-kind", {"id": "a2"})
        assert upsert(db, "person", {"id": "p1", "forename": "Pat", "surname": "Pulled"})
        assert db.get(Person, "p1") is not None
