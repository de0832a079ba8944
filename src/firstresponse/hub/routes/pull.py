"""Terminals pull assignments, briefings and lookup changes since their cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from firstresponse.hub import feed
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow
from firstresponse.security.permissions import Action
from firstresponse.sync.protocol import Cursor, PullResponse

router = APIRouter(tags=["sync"])


@router.get("/pull", response_model=PullResponse, responses=ERRORS)
def pull(
    who: Who,
    db: Db,
    cursor: Annotated[Cursor, Query()] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PullResponse:
    """Assignments, briefings and lookup changes for this officer since `cursor`."""
    allow(who, Action.SYNC)
    with transaction(db, read_only=True) as session:
        changes, new_cursor, more = feed.read(session, who.user, cursor, limit)
    return PullResponse(changes=changes, cursor=new_cursor, more=more)
