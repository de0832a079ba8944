"""Batch ingest edge cases and a crowd of terminals signing in at once (real hub)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubChange
from firstresponse.records import Child, Incident, Person, User
from tests.hub.support import Hub, pin_hash
from tests.hub.test_ingest import env, incident, person


def child(cid: str, iid: str) -> dict:
    return Child(id=cid, incident_id=iid, name="Robin", age=6).model_dump(mode="json")


def test_a_record_the_database_refuses_is_rejected_alone(hub: Hub) -> None:
    """Two incidents with one reference: the second is rejected, the rest still go in."""
    batch = [
        env("child", child("c-1", "i-1")),  # before its incident, in the same batch
        env("person", person("p-1")),
        env("incident", incident("i-1", "p-1")),
        env("incident", {**incident("i-2", "p-1"), "reference": "R-i-1"}),
    ]
    with hub.client(hub.enrol()) as client:
        first = client.push(batch)
        again = client.push(batch)
    assert [r.status for r in first] == ["accepted", "accepted", "accepted", "rejected"]
    assert "could not be stored" in first[3].reason
    assert [r.status for r in again] == ["duplicate", "duplicate", "duplicate", "rejected"]
    assert hub.envelope_counts() == {"c-1": 1, "p-1": 1, "i-1": 1}
    with transaction(hub.engine) as db:
        assert db.get(Child, "c-1").incident_id == "i-1"
        assert db.get(Incident, "i-2") is None


def test_children_waiting_for_a_later_batch_are_written_with_their_feed(hub: Hub) -> None:
    """Children, then incidents, then people (the outbox's priority order) in three batches."""
    with hub.client(hub.enrol()) as client:
        client.push([env("child", child(f"c-{n}", f"i-{n}")) for n in range(3)])
        client.push([env("incident", incident(f"i-{n}", f"p-{n}")) for n in range(3)])
        with transaction(hub.engine) as db:
            assert db.exec(select(Incident)).all() == []
        answers = client.push([env("person", person(f"p-{n}")) for n in range(3)])
    assert {a.status for a in answers} == {"accepted"}
    with transaction(hub.engine) as db:
        assert len(db.exec(select(Person)).all()) == 3
        assert {c.incident_id for c in db.exec(select(Child))} == {"i-0", "i-1", "i-2"}
        lookups = db.exec(select(HubChange).where(HubChange.record_id == "i-1")).all()
    [entry] = lookups
    assert '"people":[{' in entry.body and '"id":"p-1"' in entry.body


def test_a_shift_signing_in_at_once_is_queued_not_dropped(hub: Hub) -> None:
    collars = [f"PC{5000 + n}" for n in range(12)]
    with transaction(hub.engine) as db:
        for collar in collars:
            db.add(User(collar=collar, name=collar, role="responder", pin_hash=pin_hash()))
    token = hub.enrol()

    def sign_in(collar: str) -> str:
        with hub.client(token, collar) as client:
            return client.whoami().collar

    with ThreadPoolExecutor(len(collars)) as pool:
        assert sorted(pool.map(sign_in, collars)) == collars


def test_pushed_people_are_filed_in_the_hub_lookup_index(hub: Hub) -> None:
    import firstresponse.lookup  # noqa: F401  (the hub's lookup, active as on a real hub)

    with hub.client(hub.enrol()) as client:
        client.push([env("person", person("p-7", surname="Quillfeather"))])
    with hub.client(hub.enrol(), "CH1001") as client:
        found = client.search(name="Rhea Quillfeather")
    assert [hit.person_id for hit in found][:1] == ["p-7"]


def _filed_names(hub: Hub, person_id: str) -> set[str]:
    """The name words of the keys the hub's lookup index holds for `person_id`."""
    with transaction(hub.engine) as db:
        rows = db.execute(
            text("SELECT key FROM lookup_key WHERE person_id = :id AND key LIKE 'n:%'"),
            {"id": person_id},
        )
        return {key.removeprefix("n:") for (key,) in rows}


def test_a_new_person_is_filed_as_the_version_written_and_refiled_when_it_changes(
    hub: Hub,
) -> None:
    import firstresponse.lookup  # noqa: F401  (the hub's lookup, active as on a real hub)

    with hub.client(hub.enrol()) as client:
        first = [
            env("person", person("p-8", surname="Quillfeather")),
            env("person", person("p-8", surname="Ashdown"), version=2),
        ]
        assert [r.status for r in client.push(first)] == ["accepted", "accepted"]
        assert _filed_names(hub, "p-8") == {"rhea", "ashdown"}
        later = [env("person", person("p-8", surname="Brackwater"), version=3)]
        assert [r.status for r in client.push(later)] == ["accepted"]
    assert _filed_names(hub, "p-8") == {"rhea", "brackwater"}
