"""Terminals pull assignments, briefings, lookup changes and the records about incidents
they may read (hub.followup_feed) since their cursor.

With `wait`, a pull that finds nothing waits on the hub (long-poll, as CouchDB's
`_changes?feed=longpoll`): it answers as soon as an entry for this officer is filed, by
any hub process (hub.wakeup), or empty once `wait` seconds have passed. Without it the
pull answers at once, as it always has.
"""

from __future__ import annotations

import time
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, Request

from firstresponse.hub import feed, wakeup
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow, principal
from firstresponse.records import User
from firstresponse.security.permissions import Action
from firstresponse.sync.protocol import Cursor, PullResponse, token_digest

router = APIRouter(tags=["sync"])

MAX_WAIT = 30.0  # seconds: a longer `wait` is held this long


def _read(db: Db, user: User, cursor: str, limit: int) -> PullResponse:
    with transaction(db, read_only=True) as session:
        changes, new_cursor, more = feed.read(session, user, cursor, limit)
    return PullResponse(changes=changes, cursor=new_cursor, more=more)


@router.get("/pull", response_model=PullResponse, responses=ERRORS)
async def pull(
    request: Request,
    who: Who,
    db: Db,
    cursor: Annotated[Cursor, Query()] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    wait: Annotated[
        float,
        Query(
            ge=0, description=f"seconds to wait for a change when there is none (<= {MAX_WAIT:g})"
        ),
    ] = 0,
) -> PullResponse:
    """Assignments, briefings, lookup changes and records about incidents for this officer
    since `cursor`: a supervisor receives every terminal's decisions, orders, assessments
    and reviews the hub lets them see; a responder only those of incidents sent to them.
    With `wait`, nothing new is answered when something is, or when the wait ends."""
    allow(who, Action.SYNC)
    waits = wakeup.of(request.app)
    if wait <= 0 or waits is None:
        return await to_thread.run_sync(_read, db, who.user, cursor, limit)
    deadline = time.monotonic() + min(wait, MAX_WAIT)
    session = token_digest(request.headers.get("x-session", ""))
    with waits.waiter(feed.recipients(who.user), session) as waiter:
        while True:
            page = await to_thread.run_sync(_read, db, who.user, cursor, limit)
            if page.changes:
                return page
            reason = await waiter.wait(deadline - time.monotonic())
            if reason in ("", wakeup.CLOSING):
                return page
            if reason == wakeup.SESSION:  # 401 with the reason, unless it still holds
                await principal(
                    db,
                    request,
                    request.headers.get("x-device-token"),
                    request.headers.get("x-session"),
                )
