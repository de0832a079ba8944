"""The head of each terminal's audit chain as the hub has seen it, and GET /v1/audit/head.

As a terminal's audit entries sync, the hub appends each to its own chain with the
terminal's sequence number and hash (`terminal_seq`, `terminal_hash` in the detail).
The newest of these per device is that terminal's chain head on the hub: `audit
verify` on the terminal asks for it, so entries deleted from the end of a terminal's
log are found even when the head kept beside its store was deleted too.
"""

# No `from __future__ import annotations`: FastAPI reads the route's annotations, which
# name a dependency given at registration.
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.hub.auth import Principal
from firstresponse.hub.db import transaction
from firstresponse.records import AuditEvent
from firstresponse.store.audit_head import GENESIS, Head
from firstresponse.sync.protocol import API


class AuditHead(BaseModel):
    """A terminal's audit chain head as recorded on the hub (0 entries: none synced yet)."""

    device: str
    entries: int
    hash: str


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


def register(app: FastAPI, engine: Engine, principal: Callable[..., Any]) -> None:
    """Add GET /v1/audit/head, signed in through the `principal` dependency."""

    @app.get(f"{API}/audit/head", response_model=AuditHead, tags=["sync"])
    def audit_head(who: Annotated[Principal, Depends(principal)]) -> AuditHead:
        """The head of the calling terminal's audit chain, as far as it has synced."""
        with transaction(engine, read_only=True) as db:
            head = terminal_head(db, who.device.name)
        return AuditHead(device=who.device.name, entries=head.entries, hash=head.hash)


__all__ = ["AuditHead", "register", "terminal_head"]
