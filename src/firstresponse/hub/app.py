"""The hub's FastAPI application: push, pull, lookup, identity, health.

Every endpoint except /health needs an enrolled device and a signed-in officer whose
role allows the action (security.permissions). The app keeps only an engine and a
PIN-verification cache in memory, so any number of instances can share one database.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from firstresponse import __version__
from firstresponse.hub import audit_head, feed, lookup_api
from firstresponse.hub.auth import AuthError, PinCache, Principal, authenticate_async
from firstresponse.hub.db import ENV_DB, hub_engine, transaction
from firstresponse.hub.ingest import ingest, sweep_stranded
from firstresponse.hub.limits import BodyLimit
from firstresponse.security.permissions import Action, PermissionDenied, require
from firstresponse.sync.protocol import (
    API,
    Cursor,
    Problem,
    PullResponse,
    PushRequest,
    PushResponse,
    WhoAmI,
)

log = logging.getLogger("firstresponse.hub")

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body is not readable JSON"},
    401: {"model": Problem, "description": "device not enrolled or revoked, or sign-in failed"},
    403: {"model": Problem, "description": "the officer's role does not allow this"},
    503: {"model": Problem, "description": "the hub's database is unavailable: retry later"},
}

LOOKUP_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"model": Problem, "description": "no such person"},
    501: {"model": Problem, "description": "this hub has no lookup index"},
}

Text = Annotated[str, Query(max_length=100, pattern=r"^[^\x00-\x1f]*$")]


async def _principal(
    request: Request,
    x_device_token: Annotated[str | None, Header(max_length=200)] = None,
    x_collar: Annotated[str | None, Header(max_length=32)] = None,
    x_pin: Annotated[str | None, Header(max_length=64)] = None,
) -> Principal:
    try:
        return await authenticate_async(
            request.app.state.engine, request.app.state.pins, x_device_token, x_collar, x_pin
        )
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc


Who = Annotated[Principal, Depends(_principal)]


def _allow(who: Principal, action: Action) -> None:
    try:
        require(who.user, action)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from exc


def create_app(engine: Engine) -> FastAPI:
    """The hub on an already-migrated engine."""
    app = FastAPI(
        title="firstresponse hub",
        version=__version__,
        description="Sync, lookup and assignment service for firstresponse terminals.",
    )
    app.state.engine = engine
    app.state.pins = PinCache()
    app.add_middleware(BodyLimit)
    audit_head.register(app, engine, _principal)

    @app.exception_handler(SQLAlchemyError)
    async def _database_down(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        log.error("database error: %s", exc)
        return JSONResponse({"detail": "the hub's database is unavailable: try again"}, 503)

    @app.exception_handler(PermissionDenied)
    async def _denied(_request: Request, exc: PermissionDenied) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 403)

    @app.get(f"{API}/health", tags=["hub"])
    def health() -> dict[str, str]:
        """Liveness and database reachability (no sign-in)."""
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    @app.get(f"{API}/whoami", response_model=WhoAmI, responses=ERRORS, tags=["hub"])
    def whoami(who: Who) -> WhoAmI:
        """The device and officer the hub sees."""
        user = who.user
        return WhoAmI(
            device=who.device.name,
            collar=user.collar,
            name=user.name,
            role=user.role,
            team=user.team,
        )

    @app.post(f"{API}/push", response_model=PushResponse, responses=ERRORS, tags=["sync"])
    def push(batch: PushRequest, who: Who) -> PushResponse:
        """Store a batch of envelopes; each gets accepted, duplicate, conflict or rejected."""
        _allow(who, Action.SYNC)
        with transaction(engine) as db:
            results = ingest(db, who, batch.envelopes)
            sweep_stranded(db, who.device.name)
        return PushResponse(results=results)

    @app.get(f"{API}/pull", response_model=PullResponse, responses=ERRORS, tags=["sync"])
    def pull(
        who: Who,
        cursor: Annotated[Cursor, Query()] = "",
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> PullResponse:
        """Assignments, briefings and lookup changes for this officer since `cursor`."""
        _allow(who, Action.SYNC)
        with transaction(engine, read_only=True) as db:
            changes, new_cursor, more = feed.read(db, who.user, cursor, limit)
        return PullResponse(changes=changes, cursor=new_cursor, more=more)

    @app.get(f"{API}/lookup/search", responses=LOOKUP_ERRORS, tags=["lookup"])
    def search(
        who: Who,
        name: Text = "",
        dob: Annotated[str, Query(pattern=r"^(|\d{4}-\d{2}-\d{2})$")] = "",
        phone: Text = "",
        postcode: Text = "",
        address: Text = "",
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        """Repeat-victim search; audited (who searched for whom)."""
        _allow(who, Action.LOOKUP)
        fields = {
            "name": name,
            "dob": dob,
            "phone": phone,
            "postcode": postcode,
            "address": address,
        }
        try:
            with transaction(engine) as db:
                return lookup_api.search(db, who.user, fields, limit)
        except lookup_api.LookupUnavailable as exc:
            raise HTTPException(501, str(exc)) from exc
        except ValueError as exc:  # same shape as FastAPI's own 422 (the documented schema)
            problem = {"loc": ["query"], "msg": str(exc), "type": "value_error"}
            raise HTTPException(422, [problem]) from exc

    @app.get(f"{API}/lookup/people/{{person_id}}", responses=LOOKUP_ERRORS, tags=["lookup"])
    def history(
        who: Who,
        person_id: Annotated[str, lookup_api.PersonId],
    ) -> dict[str, Any]:
        """One person's history narrative; audited."""
        _allow(who, Action.LOOKUP)
        try:
            with transaction(engine) as db:
                found = lookup_api.history(db, who.user, person_id)
        except lookup_api.LookupUnavailable as exc:
            raise HTTPException(501, str(exc)) from exc
        if found is None:
            raise HTTPException(404, "no such person")
        return found

    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers: the database from the environment."""
    return create_app(hub_engine(os.environ[ENV_DB]))
