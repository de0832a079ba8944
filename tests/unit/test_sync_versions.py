"""The version a terminal's change to a record goes out as, and the hub versions a pull
keeps: the next after the newest the hub is known to hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from sqlmodel import select

from firstresponse.records import Child, HubVersion, Incident, Person
from firstresponse.store import Store, outbox
from firstresponse.sync.client import HubClient, SessionToken
from firstresponse.sync.pull import pull_changes


def hub_serving(changes: list[dict[str, Any]]) -> HubClient:
    """A scripted hub whose feed holds `changes`, one page."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = changes if not request.url.params.get("cursor") else []
        return httpx.Response(200, json={"changes": page, "cursor": "0.9", "more": False})

    transport = httpx.MockTransport(answer)
    return HubClient("http://hub.test", "t", SessionToken("PC2001", "s"), transport=transport)


def known(store: Store) -> dict[str, int]:
    with store.session() as db:
        return {row.record_id: row.version for row in db.exec(select(HubVersion))}


def case() -> tuple[Person, Incident, Child]:
    victim = Person(forename="Ivy", surname="Unitcase")
    incident = Incident(reference="U-1", occurred_at=datetime.now(UTC), victim_id=victim.id)
    return victim, incident, Child(incident_id=incident.id, name="Amy", age=6)


def test_a_change_goes_out_after_the_newest_version_queued_or_known_on_the_hub(
    store: Store,
) -> None:
    victim, incident, child = case()
    with store.session() as db:
        outbox.note_hub_versions(db, {child.id: 1, incident.id: 3})
        outbox.note_hub_versions(db, {incident.id: 2})  # an older copy lowers nothing
        assert outbox.next_version(db, child.id) == 2
        assert outbox.next_version(db, incident.id, floor=3) == 4
        assert outbox.next_version(db, victim.id, floor=3) == 3  # unknown: the guess
        for version in (4, 5):
            outbox.enqueue(db, "incident", incident.id, {"id": incident.id}, version)
        assert outbox.next_version(db, incident.id) == 6  # queued here since
        outbox.note_hub_versions(db, {incident.id: 7})  # another terminal's, pulled since
        assert outbox.next_version(db, incident.id) == 8


def test_a_pull_keeps_the_hub_version_of_every_record_a_page_carries(store: Store) -> None:
    victim, incident, child = case()
    hubs_copy = victim.model_dump(mode="json")
    with store.session() as db:  # the victim changed here and not sent: kept as it is
        victim.forename = "Ivy-Mae"
        outbox.enqueue_record(db, victim, floor=2)  # pulled: version 1 there
    briefing = {
        "assignment_id": "a-1",
        "incident": incident.model_dump(mode="json"),
        "people": [hubs_copy],
        "children": [child.model_dump(mode="json")],
        "versions": {victim.id: 3, incident.id: 2, child.id: 1},
    }
    looked_up = {
        "kind": "child",
        "record": {**child.model_dump(mode="json"), "seen": True},
        "versions": {child.id: 2},
    }
    changes = [
        {"cursor": "0.1", "topic": "briefing", "record_id": "a-1", "body": briefing},
        {"cursor": "0.2", "topic": "lookup", "record_id": child.id, "body": looked_up},
        {"cursor": "0.3", "topic": "lookup", "record_id": "p-9", "body": {"kind": "person"}},
    ]
    with hub_serving(changes) as client:
        assert pull_changes(store, client) == 3
    assert known(store) == {victim.id: 3, incident.id: 2, child.id: 2}
    with store.session() as db:
        held = db.get(Person, victim.id)
        assert held is not None and held.forename == "Ivy-Mae"
        assert outbox.next_version(db, victim.id) == 4
        assert outbox.next_version(db, child.id) == 3
        pulled = db.get(Child, child.id)
        assert pulled is not None and pulled.seen is True
