"""Small builders of synthetic live cases (incident, submitted answers, decisions).

Used by the demo seed and by tests. All names are invented.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from firstresponse.checklist import Checklist, evaluate
from firstresponse.records import (
    Assessment,
    Assignment,
    Decision,
    Incident,
    Person,
)


def person(db: Session, forename: str, surname: str, **fields: Any) -> Person:
    found = Person(forename=forename, surname=surname, **fields)
    db.add(found)
    db.flush()
    return found


def incident(
    db: Session, reference: str, occurred_at: datetime, victim: Person, **fields: Any
) -> Incident:
    fields.setdefault("status", "closed")
    fields.setdefault("source", "live")
    found = Incident(reference=reference, occurred_at=occurred_at, victim_id=victim.id, **fields)
    db.add(found)
    db.flush()
    return found


def assessment(
    db: Session,
    inc: Incident,
    checklist_id: str,
    answers: dict[str, Any],
    author: str,
    *,
    checklist: Checklist | None = None,
    facts: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    minutes_after: int = 10,
) -> Assessment:
    """A submitted assessment; `result` is evaluated from `checklist` unless given."""
    if result is None:
        result = evaluate(checklist, answers, facts or {}).as_dict() if checklist else {}
    at = inc.occurred_at + timedelta(minutes=minutes_after)
    found = Assessment(
        incident_id=inc.id,
        checklist_id=checklist_id,
        checklist_version=checklist.version if checklist else "1.0",
        checklist_hash=checklist.hash if checklist else "",
        answers=answers,
        result=result,
        status="submitted",
        author=author,
        created_at=at,
        updated_at=at,
        submitted_at=at,
    )
    db.add(found)
    return found


def decision(db: Session, inc: Incident, kind: str, reason: str, made_by: str) -> Decision:
    found = Decision(
        incident_id=inc.id, kind=kind, reason=reason, made_by=made_by, made_at=inc.occurred_at
    )
    db.add(found)
    return found


def assignment(
    db: Session, inc: Incident, assignee: str, briefing: dict[str, Any] | None = None
) -> Assignment:
    found = Assignment(
        incident_id=inc.id,
        assignee=assignee,
        grade=inc.grade or "",
        briefing=briefing or {},
        status="done",
        created_at=inc.occurred_at + timedelta(minutes=2),
    )
    db.add(found)
    return found
