"""The calling terminal's audit chain head, as far as its entries have synced."""

from __future__ import annotations

from fastapi import APIRouter

from firstresponse.hub.audit_head import terminal_head
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who
from firstresponse.sync.protocol import AuditHead

router = APIRouter(tags=["sync"])


@router.get("/audit/head", response_model=AuditHead, responses=ERRORS)
def audit_head(who: Who, engine: Db) -> AuditHead:
    """The head of the calling terminal's audit chain, as far as it has synced."""
    with transaction(engine, read_only=True) as db:
        head = terminal_head(db, who.device.name)
    return AuditHead(device=who.device.name, entries=head.entries, hash=head.hash)
