"""Assigning a call graded with nobody named: the assignment's next version, sent on."""

from __future__ import annotations

import pytest
from sqlmodel import select

from firstresponse.calls import grade_call
from firstresponse.calls.assign import AssignRefused, assign_call
from firstresponse.records import Assignment, AuditEvent, OutboxItem
from tests.unit.test_calls_support import NO_FACTS, add_users, calm_answers, lists, new_call


@pytest.fixture
def graded(store, settings):
    """A call graded priority with "Assign to" left empty."""
    users = add_users(store)
    incident = new_call(store, users["CH1001"])
    with store.session() as db:
        done = grade_call(
            db,
            users["CH1001"],
            incident.id,
            lists(settings)["thrive"],
            calm_answers("priority"),
            NO_FACTS,
        )
    assert done.assignment is not None and done.assignment.assignee == ""
    return store, users, incident, done.assignment


def test_assigning_writes_the_next_version_to_the_outbox(graded) -> None:
    store, users, incident, assignment = graded
    with store.session() as db:
        assign_call(db, users["CH1001"], incident.id, " PC2001 ")
    with store.session() as db:
        row = db.get(Assignment, assignment.id)
        assert row.assignee == "PC2001"
        items = db.exec(select(OutboxItem).where(OutboxItem.record_id == assignment.id)).all()
        assert sorted(i.version for i in items) == [1, 2]
        (first,) = [i for i in items if i.version == 1]
        (second,) = [i for i in items if i.version == 2]
        assert second.priority == first.priority
        assert '"PC2001"' in second.body
        (event,) = db.exec(select(AuditEvent).where(AuditEvent.action == "assign_call")).all()
        assert event.actor == "CH1001" and event.subject_id == incident.id


def test_an_assigned_call_and_an_empty_name_are_refused(graded) -> None:
    store, users, incident, assignment = graded
    with store.session() as db, pytest.raises(AssignRefused, match="collar number or a team"):
        assign_call(db, users["CH1001"], incident.id, "  ")
    with store.session() as db:
        assign_call(db, users["CH1001"], incident.id, "Alpha")
    with store.session() as db, pytest.raises(AssignRefused, match="already sent to Alpha"):
        assign_call(db, users["CH1001"], incident.id, "PC2001")
    with store.session() as db:
        assert db.get(Assignment, assignment.id).assignee == "Alpha"
        versions = db.exec(select(OutboxItem).where(OutboxItem.record_id == assignment.id)).all()
        assert len(versions) == 2
