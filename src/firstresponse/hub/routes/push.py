"""Terminals push record envelopes; the hub answers for every one."""

from __future__ import annotations

from fastapi import APIRouter

from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow
from firstresponse.hub.ingest import ingest
from firstresponse.security.permissions import Action
from firstresponse.sync.protocol import PushRequest, PushResponse

router = APIRouter(tags=["sync"])


@router.post("/push", response_model=PushResponse, responses=ERRORS)
def push(batch: PushRequest, who: Who, db: Db) -> PushResponse:
    """Store a batch of envelopes; each gets accepted, duplicate, conflict or rejected."""
    allow(who, Action.SYNC)
    with transaction(db) as session:
        results = ingest(session, who, batch.envelopes)
    return PushResponse(results=results)
