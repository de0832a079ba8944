"""Send a call graded with nobody to send to: the call handler names the officer or team.

Grading may leave "Assign to" empty; the Assignment then waits with no assignee and no
one receives the briefing. Assigning it later writes the Assignment's next version, with
its outbox envelope at the priority the call was graded with, so the hub passes it on.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from firstresponse.records import Assignment, Incident, OutboxItem, User
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store.outbox import PRIORITY_NORMAL, enqueue_record


class AssignRefused(ValueError):
    """The call cannot be assigned this way; the message says why."""


def unassigned(db: Session, incident_id: str) -> Assignment | None:
    """The call's assignment waiting with nobody named, if it has one."""
    query = select(Assignment).where(Assignment.incident_id == incident_id)
    assignment = db.exec(query).first()
    return assignment if assignment is not None and not assignment.assignee else None


def assign_call(db: Session, user: User, incident_id: str, assignee: str) -> Assignment:
    """Name who attends a graded call sent to nobody; raises `AssignRefused`."""
    require(user, Action.GRADE_CALL)
    who = assignee.strip()
    if not who:
        raise AssignRefused("Type a collar number or a team to send the call to")
    incident = db.get(Incident, incident_id)
    if incident is None:
        raise AssignRefused(f"No call {incident_id}")
    query = select(Assignment).where(Assignment.incident_id == incident_id)
    assignment = db.exec(query).first()
    if assignment is None:
        raise AssignRefused(f"{incident.reference}: no officer is sent for this grade")
    if assignment.assignee:
        raise AssignRefused(f"{incident.reference} is already sent to {assignment.assignee}")
    sent = db.exec(
        select(OutboxItem)
        .where(OutboxItem.record_id == assignment.id)
        .order_by(col(OutboxItem.version).desc())
    ).first()
    assignment.assignee = who
    enqueue_record(db, assignment, priority=sent.priority if sent is not None else PRIORITY_NORMAL)
    audit.record(db, user.collar, "assign_call", "incident", incident_id, assignee=who)
    return assignment
