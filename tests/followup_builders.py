"""Builders for follow-through tests: users, a live incident and its submitted risk assessment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from firstresponse.records import Assessment, Incident, Person, Role, User

SUPERVISOR = "SG3001"
OFFICER = "PC2001"
CALL_HANDLER = "CH1001"


def users(db: Session) -> dict[str, User]:
    """A supervisor and a responder in team Alpha, a call handler, a responder in Bravo."""
    made = {
        collar: User(collar=collar, name=f"Test {collar}", role=role, team=team)
        for collar, role, team in [
            (SUPERVISOR, Role.SUPERVISOR, "Alpha"),
            (OFFICER, Role.RESPONDER, "Alpha"),
            ("PC2002", Role.RESPONDER, "Bravo"),
            (CALL_HANDLER, Role.CALL_HANDLER, "Alpha"),
        ]
    }
    db.add_all(made.values())
    db.flush()
    return made


def incident(
    db: Session,
    reference: str,
    at: datetime,
    *,
    victim: Person | None = None,
    suspect: Person | None = None,
    status: str = "attended",
    **fields: Any,
) -> Incident:
    """A live incident (a new victim unless one is given)."""
    if victim is None:
        victim = Person(
            forename="Vic", surname=f"Test{reference}", dob=date(1990, 5, 1), gender="F"
        )
        db.add(victim)
        db.flush()
    row = Incident(
        reference=reference,
        occurred_at=at,
        victim_id=victim.id,
        suspect_id=suspect.id if suspect else None,
        status=status,
        source="live",
        **fields,
    )
    db.add(row)
    db.flush()
    return row


def submitted(
    db: Session,
    incident: Incident,
    checklist: str,
    at: datetime,
    answers: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    author: str = OFFICER,
    version: int = 1,
) -> Assessment:
    """A submitted assessment of `checklist` for `incident`."""
    row = Assessment(
        incident_id=incident.id,
        checklist_id=checklist,
        checklist_version="1",
        checklist_hash="x",
        answers=answers or {},
        result=result or {},
        status="submitted",
        version=version,
        author=author,
        submitted_at=at,
    )
    db.add(row)
    db.flush()
    return row


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
