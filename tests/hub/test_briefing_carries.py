"""What the assigned officer's laptop is sent arrives whole: the briefing carries each
child's own person record (a child chosen from the hub's people, whom a responder's
laptop never holds), and a record about the incident pushed with the assignment (the
call handler's THRIVE) is filed after the briefing that brings its incident.

A responder's laptop is sent no lookup index: anything a feed entry names that it does
not carry, the laptop cannot file (it would be dropped there, not stored half-linked).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from firstresponse.records import Assessment, Assignment, Child, Incident, Person
from firstresponse.store import Store, outbox
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub
from tests.hub.test_followup_sync import assessment


def call_with_a_known_child(store: Store, assignee: str) -> tuple[str, str, str]:
    """A call whose child is a person the hub already holds (chosen from its matches),
    graded and assigned in one push; returns (child id, child's person id, THRIVE id)."""
    with store.session() as db:
        victim = Person(forename="Nia", surname="Okafor-Test")
        known_child = Person(forename="Ola", surname="Okafor-Test")
        outbox.enqueue_record(db, victim)
        outbox.enqueue_record(db, known_child)
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
        child = Child(incident_id=incident.id, name="Ola Okafor-Test", age=4)
        child.person_id = known_child.id
        outbox.enqueue_record(db, child)
        thrive: Assessment = assessment(incident.id, "thrive")
        thrive.author = "CH1001"
        outbox.enqueue_record(db, thrive)
        outbox.enqueue_record(
            db, Assignment(incident_id=incident.id, assignee=assignee, grade="immediate")
        )
    return child.id, known_child.id, thrive.id


def test_the_assigned_officer_holds_a_known_child_and_the_thrive_sent_with_the_call(
    hub: Hub, tmp_path: Path
) -> None:
    control = Store(tmp_path / "control.db")
    child_id, person_id, thrive_id = call_with_a_known_child(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 6
    control.close()

    laptop = Store(tmp_path / "pc2001.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_changes(laptop, client)
    with laptop.session() as db:
        child = db.get(Child, child_id)
        assert child is not None and child.person_id == person_id
        assert db.get(Person, person_id) is not None
        assert db.get(Assessment, thrive_id) is not None
    laptop.close()
