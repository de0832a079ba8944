"""The officers a terminal's lists and figures name (hub.roster).

GET /v1/roster   collar, name, role, team and active flag of the officers this officer's
                 terminal may name; 304 when If-None-Match is the digest already held
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response

from firstresponse.hub import roster as hub_roster
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow
from firstresponse.security.permissions import Action
from firstresponse.sync.protocol import RosterOfficer, RosterResponse

router = APIRouter(tags=["sync"])


@router.get(
    "/roster",
    response_model=RosterResponse,
    responses={**ERRORS, 304: {"description": "unchanged: the terminal holds this digest"}},
)
def roster(
    who: Who,
    db: Db,
    if_none_match: Annotated[str | None, Header(max_length=100)] = None,
) -> Any:
    """The roster for this officer's terminal: the force's officers for a call handler or
    supervisor, the officer's own team for a responder; never PIN material."""
    allow(who, Action.SYNC)
    with transaction(db, read_only=True) as session:
        rows = hub_roster.roster_rows(session, who.user)
    digest = hub_roster.digest(rows)
    if if_none_match and if_none_match.strip('"') == digest:
        return Response(status_code=304)  # the usual answer: no officer built
    return RosterResponse(officers=[RosterOfficer(**row) for row in rows], digest=digest)
