"""Online lookup for call handlers: firstresponse.lookup over the hub's records, audited."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from fastapi import Path
from pydantic_core import to_jsonable_python
from sqlmodel import Session

from firstresponse.hub.db import serialise_audit
from firstresponse.records import User
from firstresponse.security import audit
from firstresponse.security.restricted import guard_history

PersonId = Path(max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


class LookupUnavailable(RuntimeError):
    """The lookup package is not installed in this hub."""


def _lookup() -> Any:
    try:
        from firstresponse import lookup
    except ImportError as exc:  # pragma: no cover - only before the lookup package lands
        raise LookupUnavailable("lookup is not available on this hub") from exc
    if not hasattr(lookup, "search"):
        raise LookupUnavailable("lookup is not available on this hub")
    return lookup


def _query(lookup: Any, fields: dict[str, str]) -> Any:
    """A LookupQuery from whichever of `fields` it understands."""
    cls = lookup.LookupQuery
    names = (
        {f.name for f in dataclasses.fields(cls)}
        if dataclasses.is_dataclass(cls)
        else set(getattr(cls, "model_fields", {}))
    )
    given: dict[str, Any] = {k: v for k, v in fields.items() if v and k in names}
    if "dob" in given:
        try:
            given["dob"] = date.fromisoformat(given["dob"])
        except ValueError as exc:
            raise ValueError(f"dob {given['dob']!r} is not a date (YYYY-MM-DD)") from exc
    if not given:
        raise ValueError("give at least one of: " + ", ".join(sorted(names & set(fields))))
    return cls(**given)


def _person_ids(results: list[Any]) -> list[str]:
    ids = []
    for hit in results:
        person = getattr(hit, "person", None)
        value = getattr(hit, "person_id", None) or getattr(person, "id", None)
        value = value or getattr(hit, "id", None)
        if value:
            ids.append(str(value))
    return ids


def search(db: Session, user: User, fields: dict[str, str], limit: int) -> dict[str, Any]:
    lookup = _lookup()
    query = _query(lookup, fields)
    results = list(lookup.search(db, query, limit))
    serialise_audit(db)
    audit.record(
        db,
        user.collar,
        "lookup",
        "search",
        "",
        query={k: v for k, v in fields.items() if v},
        results=_person_ids(results),
        via="hub",
    )
    return {"results": to_jsonable_python(results, fallback=str)}


def history(db: Session, user: User, person_id: str) -> dict[str, Any] | None:
    lookup = _lookup()
    found = lookup.person_history(db, person_id)
    if found is None:
        return None
    serialise_audit(db)
    audit.record(db, user.collar, "view", "person", person_id, via="hub")
    found = guard_history(db, user, found, outbox=False)
    data = to_jsonable_python(found, fallback=str)
    return data if isinstance(data, dict) else {"history": data}
