"""Signing in and out, the officers a device knows, and records held on the hub.

GET /v1/device        which enrolled device a token belongs to (`firstresponse setup`)
POST /v1/sessions     collar + PIN (+ public key), once, for a session token
GET /v1/sessions/challenge
                      what a terminal signs to sign in again with its key (device token)
POST /v1/sessions/key collar + key id + the challenge signed: a session, no PIN sent
                      (an officer who has signed in on this device before; sync.key_sign_in)
DELETE /v1/sessions   sign out: the session token is refused from then on
POST /v1/sessions/ended
                      sign-outs made while the hub was away, by token digest (the device
                      token alone suffices: the sessions may have lapsed meanwhile)
GET /v1/users         the officers who have signed in on this device, as the hub holds
                      them now (deactivation, PIN changes and locks reach terminals here;
                      the device token alone suffices)
GET /v1/held          records received but not yet filed, and the parent each waits for
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from firstresponse.hub import attempts, sessions
from firstresponse.hub.auth import AuthError, new_challenge
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import Who
from firstresponse.hub.models import HubDevice, HubEnvelope
from firstresponse.records import table_of, utcnow
from firstresponse.security import throttle
from firstresponse.security.permissions import Action, allowed
from firstresponse.sync.key_sign_in import KeySignIn, SignInChallenge
from firstresponse.sync.protocol import (
    DeviceInfo,
    EndedSessions,
    HeldItem,
    HeldResponse,
    Problem,
    SessionGrant,
    SessionsEnded,
    SignIn,
    SignInProblem,
    UsersResponse,
)

router = APIRouter(tags=["sessions"])

SIGN_IN_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body is not readable JSON"},
    401: {
        "model": SignInProblem,
        "description": "device not enrolled, or collar/PIN not recognised (with attempts left)",
    },
    429: {"model": SignInProblem, "description": "wrong PINs: wait `retry_after` seconds"},
    503: {"model": Problem, "description": "the hub's database is unavailable: retry later"},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the request is not readable"},
    401: {"model": Problem, "description": "device not enrolled or revoked, or session ended"},
    503: {"model": Problem, "description": "the hub's database is unavailable: retry later"},
}
HELD_LIMIT = 200


@router.post("/sessions", response_model=SessionGrant, responses=SIGN_IN_ERRORS)
async def sign_in(
    body: SignIn,
    request: Request,
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
) -> SessionGrant | JSONResponse:
    """Check the PIN once and open a session bound to this device.

    Wrong PINs slow the next attempts down (hub.attempts): a refusal says how many more
    may be given before a wait, and while one lasts the PIN is not checked at all (429).
    One officer's attempts are checked one at a time, so right PINs sent side by side all
    get in and wrong ones sent side by side are all counted.
    """
    from anyio import to_thread

    engine = request.app.state.engine
    collar = body.collar.upper()
    try:
        device = await to_thread.run_sync(_device, engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    limits: sessions.SessionLimits = request.app.state.session_limits
    try:
        outcome = await attempts.attempt(engine, device, collar, body.pin, body.public_key, limits)
    except AuthError as exc:  # locked by an admin: not a wrong PIN
        return JSONResponse(SignInProblem(detail=str(exc)).model_dump(), 401)
    if isinstance(outcome, attempts.Refused):
        return _refused(401 if outcome.checked else 429, collar, outcome.throttle)
    return _granted(outcome, limits)


@router.get("/sessions/challenge", response_model=SignInChallenge, responses=ERRORS)
async def sign_in_challenge(
    request: Request, x_device_token: Annotated[str | None, Header(max_length=200)] = None
) -> SignInChallenge:
    """A challenge to sign for `POST /v1/sessions/key` (good for five minutes, once)."""
    from anyio import to_thread

    try:
        await to_thread.run_sync(_device, request.app.state.engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    return SignInChallenge(challenge=new_challenge())


KEY_SIGN_IN_ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN_ERRORS,
    401: {
        "model": SignInProblem,
        "description": "device not enrolled, the signature wrong (counted as a wrong PIN), "
        "or the officer locked",
    },
    403: {
        "model": Problem,
        "description": "the key may not sign in (unknown on this device, revoked by a new "
        "PIN, a lock or a deactivation, or the challenge stale): sign in with the PIN",
    },
}


@router.post("/sessions/key", response_model=SessionGrant, responses=KEY_SIGN_IN_ERRORS)
async def sign_in_with_key(
    body: KeySignIn,
    request: Request,
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
) -> SessionGrant | JSONResponse:
    """Sign in again on this device with the key registered at a PIN sign-in here: the
    terminal proved the PIN by unwrapping its key; the hub verifies the signature over
    its challenge, not the PIN. Wrong signatures count and slow sign-in as wrong PINs do."""
    from anyio import to_thread

    engine = request.app.state.engine
    collar = body.collar.upper()
    try:
        device = await to_thread.run_sync(_device, engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    limits: sessions.SessionLimits = request.app.state.session_limits
    try:
        outcome = await attempts.attempt_with_key(engine, device, collar, body, limits)
    except AuthError as exc:
        return JSONResponse(SignInProblem(detail=str(exc)).model_dump(), 401)
    if isinstance(outcome, attempts.KeyRefused):
        return JSONResponse(Problem(detail=outcome.reason).model_dump(), 403)
    if isinstance(outcome, attempts.Refused):
        return _refused(401 if outcome.checked else 429, collar, outcome.throttle)
    return _granted(outcome, limits)


def _granted(outcome: attempts.Granted, limits: sessions.SessionLimits) -> SessionGrant:
    """The session a sign-in (by PIN or by key) was granted, as the terminal is told it."""
    return SessionGrant(
        token=outcome.token,
        expires_at=outcome.session.expires_at.isoformat(),
        idle_seconds=int(limits.idle.total_seconds()),
        user=sessions.user_state(outcome.user),
        key_id=outcome.key_id,
    )


def _refused(status: int, collar: str, held: throttle.Throttle) -> Any:
    """A refused sign-in, saying how many attempts are left or how long to wait."""
    now = utcnow()
    wait = throttle.seconds(held.wait(now))
    problem = SignInProblem(
        detail=throttle.refusal(collar, held, now),
        attempts_left=held.attempts_left,
        retry_after=wait,
    )
    headers = {"Retry-After": str(wait)} if wait else None
    return JSONResponse(problem.model_dump(), status, headers=headers)


def _device(engine: Any, token: str | None) -> HubDevice:
    from sqlmodel import Session

    from firstresponse.hub.auth import find_device
    from firstresponse.hub.dialect import reader

    if not token:
        raise AuthError("this device is not enrolled: send its token in X-Device-Token")
    with Session(reader(engine), expire_on_commit=False) as db:
        device = find_device(db, token)
    if device is None:
        raise AuthError("device token unknown or revoked")
    return device


@router.get("/device", response_model=DeviceInfo, responses=ERRORS)
def device(
    request: Request, x_device_token: Annotated[str | None, Header(max_length=200)] = None
) -> DeviceInfo:
    """The enrolled device this token belongs to (no officer needed)."""
    try:
        found = _device(request.app.state.engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    return DeviceInfo(device=found.name)


@router.delete("/sessions", status_code=204, responses=ERRORS)
def sign_out(
    who: Who, request: Request, x_session: Annotated[str | None, Header(max_length=200)] = None
) -> Response:
    """End this session (the officer signed out)."""
    sessions.end_session(request.app.state.engine, x_session or "")
    return Response(status_code=204)


@router.post("/sessions/ended", response_model=SessionsEnded, responses=ERRORS)
def sessions_ended(
    body: EndedSessions,
    request: Request,
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
) -> SessionsEnded:
    """End the sessions named (by token digest) that this device's officers signed out of
    while the hub did not answer; the others named are ignored."""
    engine = request.app.state.engine
    try:
        found = _device(engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    return SessionsEnded(ended=sessions.end_device_sessions(engine, found, body.sessions))


@router.get("/users", response_model=UsersResponse, responses=ERRORS)
def device_users(
    request: Request, x_device_token: Annotated[str | None, Header(max_length=200)] = None
) -> UsersResponse:
    """Everyone who has signed in on this device, with their current state on the hub.

    Needs only the device token: a terminal must learn that its officer's PIN changed or
    that they were locked even though that ended the officer's own session.
    """
    engine = request.app.state.engine
    try:
        found = _device(engine, x_device_token)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc
    with transaction(engine, read_only=True) as db:
        return UsersResponse(users=sessions.device_users(db, found))


@router.get("/held", response_model=HeldResponse, responses=ERRORS)
def held(who: Who, request: Request) -> HeldResponse:
    """Records this device sent that wait for a parent; a supervisor sees every device's."""
    table: Any = table_of(HubEnvelope)
    devices: Any = table_of(HubDevice)
    query = (
        select(table, devices.c.name.label("device_name"))
        .join(devices, devices.c.id == table.c.device_id, isouter=True)
        .where(table.c.waits_for.is_not(None))
        .order_by(table.c.seq)
        .limit(HELD_LIMIT)
    )
    if not allowed(who.user, Action.REVIEW):
        query = query.where(table.c.device_id == who.device.id)
    with transaction(request.app.state.engine, read_only=True) as db:
        rows = list(db.execute(query))
    return HeldResponse(
        held=[
            HeldItem(
                id=row.record_id,
                version=row.version,
                kind=row.kind,
                waits_for=_missing(row),
                author=row.pushed_by,
                device=row.device_name or "",
                since=row.received_at.isoformat(),
            )
            for row in rows
        ]
    )


def _missing(row: Any) -> str:
    """The parent a held row waits for, as "kind:id" (the kind from the row's own fields)."""
    from firstresponse.hub.ingest import _item_from_row

    item = _item_from_row(row, {})  # the author does not matter here, only its fields
    if item is None:
        return f"record:{row.waits_for}"
    item.waits_for = row.waits_for
    return item.missing
