"""The hub's routes, one APIRouter module per resource, gathered into `api_router`."""

from __future__ import annotations

from fastapi import APIRouter

from firstresponse.hub.routes import (
    audit,
    health,
    identity,
    lookup,
    pull,
    push,
    roster,
    sessions,
)
from firstresponse.sync.protocol import API

api_router = APIRouter(prefix=API)
for module in (health, sessions, identity, push, pull, roster, lookup, audit):
    api_router.include_router(module.router)
