"""Terminals pull assignments, briefings, lookup changes and the records about incidents
they may read (hub.followup_feed) since their cursor."""

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
    """Assignments, briefings, lookup changes and records about incidents for this officer
    since `cursor`: a supervisor receives every terminal's decisions, orders, assessments
    and reviews the hub lets them see; a responder only those of incidents sent to them."""
    allow(who, Action.SYNC)
    with transaction(db, read_only=True) as session:
        changes, new_cursor, more = feed.read(session, who.user, cursor, limit)
    return PullResponse(changes=changes, cursor=new_cursor, more=more)
