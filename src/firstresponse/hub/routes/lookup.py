"""Online repeat-victim lookup for call handlers: search and a person's history, audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from firstresponse.hub import lookup_api
from firstresponse.hub.db import transaction
from firstresponse.hub.deps import ERRORS, Db, Who, allow
from firstresponse.security.permissions import Action
from firstresponse.sync.lookup_protocol import LookupResults, PersonHistory, PersonRecord
from firstresponse.sync.protocol import Problem

router = APIRouter(prefix="/lookup", tags=["lookup"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"model": Problem, "description": "no such person"},
}
Text = Annotated[str, Query(max_length=100, pattern=r"^[^\x00-\x1f]*$")]
PersonId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


@router.get("/search", response_model=LookupResults, responses=ERRORS)
def search(
    who: Who,
    db: Db,
    name: Text = "",
    dob: Annotated[str, Query(pattern=r"^(|\d{4}-\d{2}-\d{2})$")] = "",
    phone: Text = "",
    postcode: Text = "",
    address: Text = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> LookupResults:
    """Repeat-victim search; audited (who searched for whom)."""
    allow(who, Action.LOOKUP)
    fields = {"name": name, "dob": dob, "phone": phone, "postcode": postcode, "address": address}
    try:  # searched in a read-only transaction; answered only once the audit has committed
        with transaction(db, read_only=True) as session:
            matches = lookup_api.find(session, fields, limit)
    except ValueError as exc:  # same shape as FastAPI's own 422 (the documented schema)
        problem = {"loc": ["query"], "msg": str(exc), "type": "value_error"}
        raise HTTPException(422, [problem]) from exc
    with transaction(db) as session:
        lookup_api.audit_search(session, who.user, fields, matches)
    return LookupResults(results=matches)


@router.get("/people/{person_id}", response_model=PersonHistory, responses=NOT_FOUND)
def history(who: Who, db: Db, person_id: PersonId) -> PersonHistory:
    """One person's history narrative; audited."""
    allow(who, Action.LOOKUP)
    with transaction(db) as session:
        found = lookup_api.history(session, who.user, person_id)
    if found is None:
        raise HTTPException(404, "no such person")
    return found


@router.get("/people/{person_id}/record", response_model=PersonRecord, responses=NOT_FOUND)
def record(who: Who, db: Db, person_id: PersonId) -> PersonRecord:
    """One person's record in store form, for a terminal to hold a copy; audited."""
    allow(who, Action.LOOKUP)
    with transaction(db) as session:
        found = lookup_api.record(session, who.user, person_id)
    if found is None:
        raise HTTPException(404, "no such person")
    return found
