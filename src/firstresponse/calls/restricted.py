"""A police-workforce suspect: the case is restricted, the inspector and PSD are told.

Uses `firstresponse.security.restricted.flag_restricted` when it is installed; otherwise
does the same here: flag, notify both, audit.
"""

from __future__ import annotations

import importlib

from sqlmodel import Session

from firstresponse.records import Incident, Notification, User
from firstresponse.security import audit

RECIPIENTS = ("inspector", "PSD")


def flag(db: Session, user: User, incident: Incident, reason: str) -> None:
    """Mark `incident` restricted and record the notifications, in the caller's transaction."""
    if incident.restricted:
        return
    try:
        security = importlib.import_module("firstresponse.security.restricted")
    except ImportError:
        security = None
    if security is not None and hasattr(security, "flag_restricted"):
        security.flag_restricted(db, user, incident, reason)
        return
    incident.restricted = True
    db.add(incident)
    for recipient in RECIPIENTS:
        note = Notification(
            kind="restricted_case",
            recipient=recipient,
            subject_kind="incident",
            subject_id=incident.id,
            body=f"{incident.reference}: {reason} (flagged by {user.collar})",
        )
        db.add(note)  # the hub raises its own from the restricted incident
    audit.record(
        db,
        user.collar,
        "flag_restricted",
        "incident",
        incident.id,
        reason=reason,
        notified=list(RECIPIENTS),
    )
