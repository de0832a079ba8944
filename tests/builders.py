"""Small record builders shared by tests: an incident assigned to a responder, with a briefing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from firstresponse.records import Assignment, Child, Incident, Person, Role, User


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


RESTRICTED_SUMMARY = "Threats by text from Rex Hollowmere"


def restricted_case(db: Session, reference: str) -> Incident:
    """A high-risk incident against Ada Testfield whose suspect, Rex Hollowmere, is a police
    officer (so the incident is restricted), with her child Kit."""
    victim = Person(forename="Ada", surname="Testfield")
    officer = Person(forename="Rex", surname="Hollowmere")
    db.add_all([victim, officer])
    db.flush()
    incident = Incident(
        reference=reference,
        occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
        victim_id=victim.id,
        suspect_id=officer.id,
        relationship="ex_partner",
        summary=RESTRICTED_SUMMARY,
        risk_level="high",
        restricted=True,
    )
    db.add(incident)
    db.flush()
    db.add(Child(incident_id=incident.id, name="Kit Testfield", age=6))
    return incident
