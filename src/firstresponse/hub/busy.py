"""503 with Retry-After when the hub's database connections are all in use.

Either this process's pool is exhausted (every connection busy for longer than the pool's
timeout) or PostgreSQL refused a new connection (SQLSTATE 53300, "too many clients").
Both pass: the terminal keeps its records and tries again after Retry-After.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

log = logging.getLogger("firstresponse.hub")

RETRY_AFTER_SECONDS = 2
TOO_MANY_CONNECTIONS = "53300"


def exhausted(error: BaseException) -> bool:
    """Whether `error` says the database connections ran out (not that the database is down)."""
    if isinstance(error, sa_exc.TimeoutError):
        return True
    original = getattr(error, "orig", None)
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state == TOO_MANY_CONNECTIONS or "too many clients" in str(original or error)


async def busy(_request: Request, error: Exception) -> JSONResponse:
    """The answer for pool exhaustion and for any other operational database error."""
    if exhausted(error):
        log.warning("database connections exhausted: %s", str(error).splitlines()[0])
        detail = "the hub is busy: every database connection is in use; try again shortly"
    else:
        log.error("database error: %s", error)
        detail = "the hub's database is unavailable: try again"
    return JSONResponse({"detail": detail}, 503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def add_busy_handlers(app: FastAPI) -> None:
    """Answer exhaustion quickly: the pool's timeout and PostgreSQL's refusal alike."""
    app.add_exception_handler(sa_exc.TimeoutError, busy)
    app.add_exception_handler(sa_exc.OperationalError, busy)
