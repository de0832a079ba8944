"""What hub routes depend on: the database engine, the caller, and role checks.

Routes declare these as typed parameters (`Db`, `Who`), so FastAPI resolves them per
request and the OpenAPI spec documents the sign-in headers on every route that needs them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.engine import Engine

from firstresponse.hub.auth import AuthError, PinCache, Principal, authenticate_async
from firstresponse.security.permissions import Action, require
from firstresponse.sync.protocol import Problem

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body is not readable JSON"},
    401: {"model": Problem, "description": "device not enrolled or revoked, or sign-in failed"},
    403: {"model": Problem, "description": "the officer's role does not allow this"},
    503: {"model": Problem, "description": "the hub's database is unavailable: retry later"},
}


def engine(request: Request) -> Engine:
    """The hub's database engine (one per process, shared by every request)."""
    found: Engine = request.app.state.engine
    return found


def pins(request: Request) -> PinCache:
    found: PinCache = request.app.state.pins
    return found


Db = Annotated[Engine, Depends(engine)]


async def principal(
    db: Db,
    cache: Annotated[PinCache, Depends(pins)],
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
    x_collar: Annotated[str | None, Header(max_length=32)] = None,
    x_pin: Annotated[str | None, Header(max_length=64)] = None,
) -> Principal:
    """The enrolled device and signed-in officer behind this request (401 otherwise)."""
    try:
        return await authenticate_async(db, cache, x_device_token, x_collar, x_pin)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc


Who = Annotated[Principal, Depends(principal)]


def allow(who: Principal, action: Action) -> None:
    """403 unless the officer's role grants `action`."""
    try:
        require(who.user, action)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from exc
