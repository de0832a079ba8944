"""Small record builders shared by tests: an incident assigned to a responder, with a briefing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from firstresponse.records import Assignment, Incident, Person, Role, User


def assigned_incident(
    db: Session, officer: str, section: tuple[str, list[str]], pin_hash: str = ""
) -> Incident:
    """A responder `officer`, a graded incident and its assignment whose briefing has `section`."""
    db.add(User(collar=officer, name="Pat Officer", role=Role.RESPONDER, pin_hash=pin_hash))
    victim = Person(forename="Alex", surname="Testperson")
    db.add(victim)
    db.flush()
    incident = Incident(
        reference="T-1",
        occurred_at=datetime(2026, 1, 10, 21, 0, tzinfo=UTC),
        victim_id=victim.id,
        address="1 Test Row",
        status="graded",
        grade="immediate",
    )
    db.add(incident)
    db.flush()
    title, lines = section
    db.add(
        Assignment(
            incident_id=incident.id,
            assignee=officer,
            grade="immediate",
            briefing={
                "summary": "Immediate: Alex Testperson, 1 Test Row",
                "sections": [{"title": title, "lines": lines}],
            },
        )
    )
    return incident
