"""The head of each terminal's audit chain as the hub has seen it (GET /v1/audit/head).

As a terminal's audit entries sync, the hub appends each to its own chain with the
terminal's sequence number and hash (`terminal_seq`, `terminal_hash` in the detail).
The newest of these per device is that terminal's chain head on the hub: `audit
verify` on the terminal asks for it, so entries deleted from the end of a terminal's
log are found even when the head kept beside its store was deleted too.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent
from firstresponse.store.audit_head import GENESIS, Head


def terminal_head(db: Session, device: str) -> Head:
    """The newest synced entry of `device`'s chain: its sequence number and hash."""
    seq = AuditEvent.detail["terminal_seq"].as_integer()
    query = (
        select(seq, AuditEvent.detail["terminal_hash"].as_string())
        .where(AuditEvent.detail["device"].as_string() == device)
        .where(seq.is_not(None))
        .order_by(seq.desc(), col(AuditEvent.seq).desc())
        .limit(1)
    )
    found = db.execute(query).first()
    return Head(int(found[0]), str(found[1] or "")) if found else Head(0, GENESIS)


__all__ = ["terminal_head"]
