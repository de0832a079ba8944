"""Notifications the hub raises itself, never taken from a terminal.

- An incident stored restricted for the first time (a police-workforce suspect) tells
  professional standards and the duty inspector.
- A same-shift review of high risk marked for escalation tells the duty inspector or
  the DA team (once: the officer's acknowledgement, a later version, raises nothing).
- A restricted record opened on a terminal (its audit event: `restricted.view` or
  `restricted.redacted`) tells professional standards who opened it.

They are written in the transaction that stores the record, so each is raised exactly
once however often, and through however many hubs, the record is pushed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from firstresponse.hub.id_lists import in_ids
from firstresponse.records import (
    HighRiskReview,
    Incident,
    Kind,
    Notification,
    new_id,
    table_of,
    utcnow,
)
from firstresponse.security.restricted import INSPECTOR, PSD

#: A same-shift review's escalation -> the queue it goes to.
ESCALATE = {"duty_inspector": INSPECTOR, "da_team": "da_team"}
VIEWS = frozenset({"restricted.view", "restricted.redacted"})
_INCIDENTS: Any = table_of(Incident)
_REVIEWS: Any = table_of(HighRiskReview)
_NOTIFICATIONS: Any = table_of(Notification)


def _note(kind: str, recipient: str, subject_kind: str, subject_id: str, body: str) -> dict:
    return {
        "id": new_id(),
        "kind": kind,
        "recipient": recipient,
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "body": body,
        "created_at": utcnow(),
        "read_at": None,
    }


def due(db: Session, stored: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The notifications that (kind, record) pairs about to be written call for.

    Read before the records are written: an incident already restricted on the hub, or a
    review already held, has had its notifications.
    """
    flagged = {r.id: r for kind, r in stored if kind == Kind.INCIDENT and r.restricted}
    if flagged:
        query = select(_INCIDENTS.c.id).where(in_ids(_INCIDENTS.c.id), _INCIDENTS.c.restricted)
        for already in db.execute(query, {"ids": sorted(flagged)}).scalars():
            flagged.pop(already, None)
    escalated = {
        r.id: r for kind, r in stored if kind == Kind.HIGH_RISK_REVIEW and r.escalate_to in ESCALATE
    }
    if escalated:
        query = select(_REVIEWS.c.id).where(in_ids(_REVIEWS.c.id))
        for already in db.execute(query, {"ids": sorted(escalated)}).scalars():
            escalated.pop(already, None)
    out = []
    for incident in flagged.values():
        body = (
            f"Incident {incident.reference} is restricted (police workforce suspect); "
            f"recorded by {incident.created_by or 'an officer'}."
        )
        for recipient in (PSD, INSPECTOR):
            out.append(_note("restricted_flag", recipient, "incident", incident.id, body))
    for kind, event in stored:
        if kind == Kind.AUDIT and event.action in VIEWS:
            shown = "full detail shown" if event.action == "restricted.view" else "redacted"
            body = f"{event.actor} opened restricted {event.subject_kind} on a terminal: {shown}."
            out.append(_note("restricted_access", PSD, event.subject_kind, event.subject_id, body))
    for review in escalated.values():
        body = (
            f"High-risk review escalated by {review.reviewer}: {review.level_before} -> "
            f"{review.level_after}. Reason: {review.reason}"
        )
        recipient = ESCALATE[review.escalate_to]
        out.append(_note("escalation", recipient, "incident", review.incident_id, body))
    return out


def write(db: Session, notes: list[dict[str, Any]]) -> None:
    if notes:
        db.execute(insert(_NOTIFICATIONS), notes)
