"""The append-only, hash-chained audit log: who looked up, viewed, changed or exported what.

Each entry's hash covers its content and the previous entry's hash, so altering or
deleting any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent, canonical_json, utcnow

GENESIS = "0" * 64


def _stamp(at: datetime) -> str:
    """UTC, second precision, no offset: the same text before and after a database trip."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.replace(microsecond=0).isoformat()


def _entry_hash(event: AuditEvent) -> str:
    body = {
        "id": event.id,
        "at": _stamp(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject_kind": event.subject_kind,
        "subject_id": event.subject_id,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: str,
    action: str,
    subject_kind: str = "",
    subject_id: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one entry in the caller's transaction. `detail` must be JSON-serialisable."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    event = AuditEvent(
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        detail=detail,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _entry_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    seq: int
    reason: str


def verify(session: Session) -> list[ChainBreak]:
    """Every place the chain fails: an altered entry, a deleted one, a reordered one."""
    breaks: list[ChainBreak] = []
    prev_hash = GENESIS
    prev_seq = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        seq = event.seq or 0
        if seq != prev_seq + 1:
            breaks.append(ChainBreak(seq, f"entries {prev_seq + 1}..{seq - 1} are missing"))
        if event.prev_hash != prev_hash:
            breaks.append(ChainBreak(seq, "does not follow the entry before it"))
        if _entry_hash(event) != event.hash:
            breaks.append(ChainBreak(seq, "content does not match its hash (altered)"))
        prev_hash, prev_seq = event.hash, seq
    return breaks
