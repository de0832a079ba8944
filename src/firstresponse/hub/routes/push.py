"""Terminals push record envelopes, with their audit chain head; the hub answers for every
one, and with the head it keeps for the terminal (hub.audit_head)."""

from __future__ import annotations

from fastapi import APIRouter

from firstresponse.hub.audit_head import note_head
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow
from firstresponse.hub.ingest import ingest
from firstresponse.security.permissions import Action
from firstresponse.store.audit_head import GENESIS, Head
from firstresponse.sync.protocol import ChainHead, PushRequest, PushResponse

router = APIRouter(tags=["sync"])


@router.post("/push", response_model=PushResponse, responses=ERRORS)
def push(batch: PushRequest, who: Who, db: Db) -> PushResponse:
    """Store a batch of envelopes; each gets accepted, duplicate, conflict or rejected."""
    allow(who, Action.SYNC)
    head = None
    with transaction(db) as session:
        results = ingest(session, who, batch.envelopes)
        if (told := batch.audit_head) is not None:
            told_head = Head(told.entries, told.hash)
            kept = note_head(session, who.device.name, who.user.collar, told_head)
            head = ChainHead(entries=kept.entries, hash=kept.hash or GENESIS)
    return PushResponse(results=results, audit_head=head)
