"""Pull: assignments and briefings reach their officer; lookup changes reach call handlers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from firstresponse.records import Assignment, Child, Incident, Person
from firstresponse.store import Store, outbox
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub


def dispatch(store: Store, assignee: str) -> tuple[str, str]:
    """A call handler's terminal: new victim, incident, child, and an assignment."""
    with store.session() as db:
        victim = Person(forename="Nia", surname="Okafor-Test")
        outbox.enqueue_record(db, victim)
        db.flush()
        incident = Incident(
            reference=f"CAD-{uuid.uuid4().hex[:8]}",
            occurred_at=datetime.now(UTC),
            victim_id=victim.id,
            status="live",
            grade="immediate",
        )
        outbox.enqueue_record(db, incident)
        db.flush()
        outbox.enqueue_record(db, Child(incident_id=incident.id, name="Ola", age=4))
        assignment = Assignment(
            incident_id=incident.id,
            assignee=assignee,
            grade="immediate",
            briefing={"note": "caller whispering"},
        )
        outbox.enqueue_record(db, assignment)
    return incident.id, assignment.id


def test_an_assignment_and_its_briefing_reach_only_the_assigned_officer(
    hub: Hub, tmp_path: Path
) -> None:
    control = Store(tmp_path / "control.db")
    incident_id, assignment_id = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 4

    mine = Store(tmp_path / "pc2001.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        assert pull_changes(mine, client) == 2
        assert pull_changes(mine, client) == 0  # cursor remembered
    with mine.session() as db:
        assert db.get(Assignment, assignment_id).briefing == {"note": "caller whispering"}
        assert db.get(Incident, incident_id).reference.startswith("CAD-")
        assert [c.name for c in db.exec(Child.__table__.select())] == ["Ola"]
        assert outbox.waiting(db) == []  # pulled records are not sent back

    theirs = Store(tmp_path / "pc2002.db")
    with hub.client(hub.enrol(), "PC2002") as client:
        assert pull_changes(theirs, client) == 0


def test_each_officer_on_a_shared_laptop_reads_the_feed_from_their_own_place(
    hub: Hub, tmp_path: Path
) -> None:
    control = Store(tmp_path / "control.db")
    _, assignment_id = dispatch(control, "PC2001")
    dispatch(control, "PC2002")  # fed after PC2001's entries
    with hub.client(hub.enrol(), "CH1001") as client:
        push_outbox(control, client)
    laptop, token = Store(tmp_path / "shared.db"), hub.enrol()
    with hub.client(token, "PC2002") as client:  # the earlier shift reads past PC2001's
        assert pull_changes(laptop, client) == 2
    with hub.client(token, "PC2001") as client:  # the next officer still gets theirs
        assert pull_changes(laptop, client) == 2
    with laptop.session() as db:
        assert db.get(Assignment, assignment_id) is not None


def test_lookup_changes_reach_call_handlers_in_pages(hub: Hub, tmp_path: Path) -> None:
    control = Store(tmp_path / "control.db")
    for _ in range(3):
        dispatch(control, "PC2002")
    with hub.client(hub.enrol(), "CH1001") as client:
        push_outbox(control, client)
        other = Store(tmp_path / "other-control.db")
        page = client.pull("", limit=4)
        assert page.more and len(page.changes) == 4
        assert {c.topic for c in page.changes} == {"lookup"}
        assert pull_changes(other, client, limit=2) == 9  # 3 people, incidents, children
    with other.session() as db:
        assert len(db.exec(Incident.__table__.select()).all()) == 3
        assert len(db.exec(Child.__table__.select()).all()) == 3


def test_a_local_record_with_unsent_changes_is_not_overwritten(hub: Hub, tmp_path: Path) -> None:
    control = Store(tmp_path / "control.db")
    incident_id, _ = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        push_outbox(control, client)
    mine = Store(tmp_path / "pc.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_changes(mine, client)
        with mine.session() as db:
            local = db.get(Incident, incident_id)
            local.arrest_made = True
            outbox.enqueue_record(db, local)
        with control.session() as db:
            hub_side = db.get(Incident, incident_id)
        from firstresponse.sync.feed import change
        from firstresponse.sync.pull import apply

        with mine.session() as db:
            apply(
                db,
                change(
                    "0.1", "briefing", incident_id, {"incident": hub_side.model_dump(mode="json")}
                ),
            )
            assert db.get(Incident, incident_id).arrest_made is True


def test_a_cursor_beyond_any_entry_reads_nothing(hub: Hub) -> None:
    with hub.client(hub.enrol(), "CH1001") as client:
        page = client.pull("999999999999999999.999999999999999999")
    assert (page.changes, page.more) == ([], False)


def test_a_hub_upgraded_sends_the_decisions_orders_and_reviews_it_already_held(
    hub_target: str, tmp_path: Path
) -> None:
    """A hub before the feed carried them kept them unsent: the upgrade writes their entries."""
    from sqlmodel import select

    from firstresponse.hub.db import hub_engine, transaction
    from firstresponse.hub.models import EVERYONE, HubChange
    from firstresponse.records import Decision, ProtectiveOrder, Review
    from firstresponse.store.migrate import upgrade

    engine = hub_engine(hub_target, migrate=False)
    upgrade(engine, "0012_known_hub_versions", role="hub")
    with transaction(engine) as db:
        victim = Person(forename="Nia", surname="Old")
        suspect = Person(forename="Rex", surname="Old")
        db.add_all([victim, suspect])
        db.flush()
        incident = Incident(
            reference="CAD-old",
            occurred_at=datetime.now(UTC),
            victim_id=victim.id,
            suspect_id=suspect.id,
            status="attended",
        )
        db.add(incident)
        db.flush()
        held = [
            Decision(incident_id=incident.id, kind="no_arrest", reason="r", made_by="PC2001"),
            ProtectiveOrder(
                kind="dvpn", subject_id=suspect.id, protected_id=victim.id, incident_id=incident.id
            ),
            Review(
                subject_kind="incident", subject_id=incident.id, reviewer="SG3001", officer="PC2001"
            ),
        ]
        db.add_all(held)
    engine.dispose()
    engine = hub_engine(hub_target)  # the next hub to open it: upgraded, then owed entries
    with transaction(engine) as db:
        entries = {(c.record_id, c.recipient) for c in db.exec(select(HubChange))}
    engine.dispose()
    again = hub_engine(hub_target)  # written once, not again by the next process
    with transaction(again) as db:
        assert len(db.exec(select(HubChange)).all()) == len(entries)
    again.dispose()
    for record in held:
        assert (record.id, EVERYONE) in entries
    assert (held[0].id, "PC2001") in entries and (held[2].id, "PC2001") in entries
