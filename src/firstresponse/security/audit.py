"""The append-only, hash-chained audit log: who looked up, viewed, changed or exported what.

Each entry's hash covers its content and the previous entry's hash, so altering or
deleting any entry breaks every hash after it. Deleting the newest entries breaks no
hash, so the chain's head (how many entries, and the last one's hash) is also kept
outside the store: in a small file beside it (store.audit_head), rewritten durably
after every commit that appended entries and never moved backwards, and on the hub,
which records the terminal's sequence number and hash of each entry that syncs.
`check_head` compares the chain with such a head: entries missing from the end, or an
end that is not the one recorded, are reported like any other break.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent, canonical_json, utcnow
from firstresponse.store import Store
from firstresponse.store.audit_head import (
    GENESIS,
    Head,
    head_of,
    head_path,
    mark_appended,
    read_head,
)

__all__ = ["GENESIS", "ChainBreak", "Head", "check_head", "head_of", "head_path", "read_head"]


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


def _text(value: Any) -> Any:
    """`value` with any lone surrogate (bytes that were not UTF-8) written as an escape,
    so what was asked is recorded, hashed and stored as valid text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {_text(key): _text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_text(item) for item in value]
    return value


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
        actor=_text(actor),
        action=_text(action),
        subject_kind=_text(subject_kind),
        subject_id=_text(subject_id),
        detail=_text(detail),
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _entry_hash(event)
    session.add(event)
    session.flush()
    mark_appended(session, event.seq)
    return event


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    seq: int
    reason: str


def record_alone(
    store: Store,
    actor: str,
    action: str,
    subject_kind: str = "",
    subject_id: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one entry in a transaction of its own (sign-in, lock and sign-out events)."""
    with store.session() as session:
        return record(session, actor, action, subject_kind, subject_id, **detail)


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


def check_head(session: Session, head: Head, where: str) -> list[ChainBreak]:
    """Breaks showing the chain does not reach `head` (kept `where`, e.g. "on the hub")."""
    ours = head_of(session)
    if head.entries > ours.entries:
        reason = (
            f"the chain ends at entry {ours.entries} but the head kept {where} records"
            f" {head.entries} entries: entries were deleted from the end"
        )
        return [ChainBreak(ours.entries + 1, reason)]
    if head.entries == 0:
        return []
    entry = session.exec(select(AuditEvent).where(AuditEvent.seq == head.entries)).first()
    if entry is None or entry.hash != head.hash:
        reason = f"is not the entry the head kept {where} records: the end was deleted or replaced"
        return [ChainBreak(head.entries, reason)]
    return []
