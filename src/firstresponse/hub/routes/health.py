"""Liveness and database reachability, for load balancers and monitoring (no sign-in)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from firstresponse import __version__
from firstresponse.hub.deps import Db
from firstresponse.sync.protocol import Health, Problem

router = APIRouter(tags=["hub"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Problem, "description": "the hub's database is unavailable"}},
)
def health(db: Db) -> Health:
    """Liveness and database reachability (no sign-in)."""
    with db.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__)
