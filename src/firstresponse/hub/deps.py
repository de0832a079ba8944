"""What hub routes depend on: the database engine, the caller, and role checks.

Routes declare these as typed parameters (`Db`, `Who`), so FastAPI resolves them per
request and the OpenAPI spec documents the sign-in headers on every route that needs them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.engine import Engine

from firstresponse.hub.auth import AuthError, Principal
from firstresponse.security.permissions import Action, require
from firstresponse.sync.protocol import Problem

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body is not readable JSON"},
    401: {"model": Problem, "description": "device not enrolled or revoked, or session ended"},
    403: {"model": Problem, "description": "the officer's role does not allow this"},
    503: {"model": Problem, "description": "the hub's database is unavailable: retry later"},
}


def engine(request: Request) -> Engine:
    """The hub's database engine (one per process, shared by every request)."""
    found: Engine = request.app.state.engine
    return found


Db = Annotated[Engine, Depends(engine)]


async def principal(
    db: Db,
    request: Request,
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
    x_session: Annotated[str | None, Header(max_length=200)] = None,
) -> Principal:
    """The device and officer behind this request's device and session tokens (401 otherwise).

    The PIN is checked once, at sign-in (hub.routes.sessions), never here.
    """
    from anyio import to_thread

    from firstresponse.hub.sessions import authenticate_session

    try:
        return await to_thread.run_sync(
            authenticate_session, db, x_device_token, x_session, request.app.state.session_limits
        )
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc


Who = Annotated[Principal, Depends(principal)]


def allow(who: Principal, action: Action) -> None:
    """403 unless the officer's role grants `action`."""
    try:
        require(who.user, action)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from exc
