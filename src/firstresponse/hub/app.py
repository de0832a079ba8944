"""The hub's FastAPI application factory: routes (hub.routes), dependencies (hub.deps).

Every endpoint except /health and sign-in needs an enrolled device and a session
(hub.routes.sessions) whose officer's role allows the action (security.permissions). The
app keeps only an engine in memory, so any number of instances can share one database.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from firstresponse import __version__
from firstresponse.hub import heap, wakeup
from firstresponse.hub.busy import add_busy_handlers
from firstresponse.hub.db import ENV_DB, PoolSize, hub_engine
from firstresponse.hub.limits import BodyLimit
from firstresponse.hub.routes import api_router
from firstresponse.hub.sessions import SessionLimits
from firstresponse.security.permissions import PermissionDenied

log = logging.getLogger("firstresponse.hub")


async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
    log.error("database error: %s", exc)
    return JSONResponse({"detail": "the hub's database is unavailable: try again"}, 503)


async def _not_text(_request: Request, exc: Exception) -> JSONResponse:
    """Text that is not valid Unicode got past the body check (hub.limits): still a 422."""
    log.warning("text that is not valid Unicode: %s", exc)
    return JSONResponse({"detail": "the request holds text that is not valid Unicode"}, 422)


async def _denied(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, 403)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Wake pulls waiting for the feed (hub.wakeup); the heap settled once started."""
    async with wakeup.running(app):
        with heap.settled():
            yield


def create_app(engine: Engine, limits: SessionLimits | None = None) -> FastAPI:
    """The hub on an already-migrated engine, with its session limits (default: SHIFT, IDLE)."""
    app = FastAPI(
        title="firstresponse hub",
        version=__version__,
        description="Sync, lookup and assignment service for firstresponse terminals.",
        lifespan=_lifespan,
    )
    app.state.engine = engine
    app.state.session_limits = limits or SessionLimits()
    app.add_middleware(BodyLimit)
    app.add_exception_handler(SQLAlchemyError, _database_down)
    add_busy_handlers(app)  # pool exhausted or too many clients: 503 with Retry-After
    app.add_exception_handler(PermissionDenied, _denied)
    app.add_exception_handler(UnicodeError, _not_text)
    app.include_router(api_router)
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers: the database from the
    environment, the session limits from the settings (file and environment)."""
    from firstresponse.config import load_settings

    settings = load_settings()
    limits = SessionLimits.from_settings(settings)
    pool = PoolSize.from_settings(settings)
    return create_app(hub_engine(os.environ[ENV_DB], pool=pool), limits)
