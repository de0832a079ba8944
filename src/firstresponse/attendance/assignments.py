"""The signed-in officer's assignments, and attending an incident nobody sent them to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import Assignment, Grade, Incident, Person, new_id, utcnow
from firstresponse.store.outbox import PRIORITY_NORMAL, enqueue_record

LOCAL_SOURCE = "responder"


@dataclass(frozen=True)
class AssignmentView:
    """One line of the officer's list, with the briefing to read offline."""

    assignment_id: str
    incident_id: str
    reference: str
    grade: str
    status: str
    victim: str
    address: str
    summary: str
    created_at: datetime
    briefing: dict[str, Any] = field(default_factory=dict)
    local: bool = False

    @property
    def headline(self) -> str:
        """The briefing's one-line summary, or what the incident says."""
        return str(self.briefing.get("summary") or self.summary or self.address)


def _urgency(grade: str) -> int:
    return Grade(grade).urgency if grade in {g.value for g in Grade} else -1


def assignments_for(db: Session, collar: str, team: str = "") -> list[AssignmentView]:
    """The officer's (and their team's) assignments: open first, most urgent first,
    newest first within a grade."""
    assignees = [collar, team] if team else [collar]
    query = (
        select(Assignment, Incident)
        .join(Incident, col(Incident.id) == col(Assignment.incident_id))
        .where(col(Assignment.assignee).in_(assignees))
    )
    views = []
    for assignment, incident in db.exec(query):
        victim = db.get(Person, incident.victim_id)
        views.append(
            AssignmentView(
                assignment_id=assignment.id,
                incident_id=incident.id,
                reference=incident.reference,
                grade=assignment.grade or incident.grade or "",
                status=assignment.status,
                victim=victim.full_name if victim else "",
                address=incident.address,
                summary=incident.summary,
                created_at=assignment.created_at,
                briefing=dict(assignment.briefing or {}),
                local=incident.source == LOCAL_SOURCE,
            )
        )
    views.sort(key=lambda v: v.created_at.timestamp(), reverse=True)
    views.sort(key=lambda v: (v.status != "open", -_urgency(v.grade)))
    return views


def briefing_sections(briefing: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The call handler's briefing as (heading, lines), read generically (see CONTRACTS)."""
    sections: list[tuple[str, list[str]]] = []
    for section in briefing.get("sections") or []:
        if not isinstance(section, dict):
            continue
        lines = [str(line) for line in section.get("lines") or [] if str(line).strip()]
        sections.append((str(section.get("title") or ""), lines))
    return sections


def attend_unassigned(
    db: Session,
    collar: str,
    forename: str,
    surname: str,
    address: str,
    postcode: str = "",
    summary: str = "",
) -> Assignment:
    """Record attendance at an incident not dispatched to this officer (works offline).

    The victim and incident go to the outbox; the assignment stays on this terminal
    (only call handlers send assignments to the hub).
    """
    forename, surname, address = forename.strip(), surname.strip(), address.strip()
    if not (forename or surname) or not address:
        raise ValueError("the victim's name and the address are needed")
    now = utcnow()
    victim = Person(forename=forename, surname=surname, address=address, postcode=postcode)
    enqueue_record(db, victim, priority=PRIORITY_NORMAL)
    db.flush()
    incident_id = new_id()
    incident = Incident(
        id=incident_id,
        reference=f"ATT-{now:%Y%m%d}-{incident_id[:6].upper()}",
        occurred_at=now,
        victim_id=victim.id,
        address=address,
        postcode=postcode,
        summary=summary.strip(),
        status="open",
        source=LOCAL_SOURCE,
        created_by=collar,
    )
    enqueue_record(db, incident, priority=PRIORITY_NORMAL)
    db.flush()
    assignment = Assignment(
        incident_id=incident.id,
        assignee=collar,
        briefing={
            "summary": f"Self-attended: {forename} {surname}, {address}".strip(),
            "sections": [
                {"title": "Note", "lines": ["No call handler's briefing: not dispatched."]}
            ],
            "generated_at": now.isoformat(),
            "incident_reference": incident.reference,
            "grade": "",
            "restricted": False,
        },
    )
    db.add(assignment)
    db.flush()
    return assignment
