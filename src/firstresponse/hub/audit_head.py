"""The head of each terminal's audit chain as the hub has seen it (GET /v1/audit/head).

Every push carries the terminal's chain head as it is then (sync.push), synced audit
entries or not; the hub keeps the newest it was told as an entry of its own chain
(`terminal.audit_head`, with the terminal's count and hash as `terminal_seq` and
`terminal_hash`) and answers with it. A head that goes backwards, or ends differently at
the same count, is not taken: the hub records what it was told beside the head it keeps
(`terminal.audit_head_mismatch`), once for each such head. `audit verify` on the
terminal compares its chain with the hub's head (and with the last one the hub sent
back), so entries deleted from the end of a terminal's log are found even when the head
kept beside its store was deleted too. Terminals of earlier versions sent no head: for
them the newest of their synced audit entries stands in.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from firstresponse.hub.db import serialise_audit
from firstresponse.records import AuditEvent
from firstresponse.security import audit
from firstresponse.store.audit_head import GENESIS, Head

HEAD_ACTION = "terminal.audit_head"
MISMATCH_ACTION = "terminal.audit_head_mismatch"


def _newest(db: Session, device: str, action: str | None) -> AuditEvent | None:
    query = select(AuditEvent).where(AuditEvent.detail["device"].as_string() == device)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    else:
        query = query.where(AuditEvent.detail["terminal_seq"].as_integer().is_not(None))
    return db.exec(query.order_by(col(AuditEvent.seq).desc()).limit(1)).first()


def terminal_head(db: Session, device: str) -> Head:
    """The newest head `device` reported (or, before it reported any, the newest of its
    synced entries): its count and hash."""
    found = _newest(db, device, HEAD_ACTION)
    if found is None:
        seq = AuditEvent.detail["terminal_seq"].as_integer()
        query = (
            select(seq, AuditEvent.detail["terminal_hash"].as_string())
            .where(AuditEvent.detail["device"].as_string() == device)
            .where(seq.is_not(None))
            .order_by(seq.desc(), col(AuditEvent.seq).desc())
            .limit(1)
        )
        row = db.execute(query).first()
        return Head(int(row[0]), str(row[1] or "")) if row else Head(0, GENESIS)
    return Head(int(found.detail["terminal_seq"]), str(found.detail["terminal_hash"]))


def note_head(db: Session, device: str, actor: str, told: Head) -> Head:
    """Keep `told` as `device`'s head if it goes further than the one kept (in the
    caller's transaction); returns the head the hub holds now."""
    kept = terminal_head(db, device)
    if told.entries > kept.entries:
        serialise_audit(db)
        audit.record(
            db,
            actor,
            HEAD_ACTION,
            "device",
            device,
            device=device,
            terminal_seq=told.entries,
            terminal_hash=told.hash,
        )
        return told
    if told.entries == kept.entries and told.hash == kept.hash:
        return kept
    last = _newest(db, device, MISMATCH_ACTION)
    said = {"reported_entries": told.entries, "reported_hash": told.hash}
    if last is None or {key: last.detail.get(key) for key in said} != said:
        serialise_audit(db)
        audit.record(
            db,
            actor,
            MISMATCH_ACTION,
            "device",
            device,
            device=device,
            kept_entries=kept.entries,
            kept_hash=kept.hash,
            **said,
        )
    return kept


__all__ = ["note_head", "terminal_head"]
