"""Online lookup for call handlers: firstresponse.lookup over the hub's records, audited."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from firstresponse import lookup
from firstresponse.hub import person_record
from firstresponse.hub.db import serialise_audit
from firstresponse.records import User
from firstresponse.security import audit
from firstresponse.security.restricted import guard_history
from firstresponse.sync.lookup_protocol import (
    LookupMatch,
    PersonHistory,
    PersonRecord,
)

FIELDS = ("name", "dob", "phone", "postcode", "address")


def query(fields: dict[str, str]) -> lookup.LookupQuery:
    """The search asked for; ValueError (with the reason) when it cannot be run."""
    given = {k: v for k, v in fields.items() if v and k in FIELDS}
    if not given:
        raise ValueError("give at least one of: " + ", ".join(sorted(FIELDS)))
    dob = None
    if "dob" in given:
        try:
            dob = date.fromisoformat(given.pop("dob"))
        except ValueError as exc:
            raise ValueError(f"dob {fields['dob']!r} is not a date (YYYY-MM-DD)") from exc
    return lookup.LookupQuery(
        name=given.get("name", ""),
        dob=dob,
        phone=given.get("phone", ""),
        postcode=given.get("postcode", ""),
        address=given.get("address", ""),
    )


def find(db: Session, fields: dict[str, str], limit: int) -> list[LookupMatch]:
    """Matches for `fields`, best first: a pure read (no lock, nothing written); the caller
    records the search with `audit_search` before it answers."""
    return [LookupMatch.model_validate(hit) for hit in lookup.search(db, query(fields), limit)]


def audit_search(
    db: Session, user: User, fields: dict[str, str], matches: list[LookupMatch]
) -> None:
    """Record who searched for what and whom it found, in the caller's (short) transaction:
    the audit chain's lock is held for this append only, never for the search itself."""
    serialise_audit(db)
    audit.record(
        db,
        user.collar,
        "lookup",
        "search",
        "",
        query={k: v for k, v in fields.items() if v},
        results=[match.person_id for match in matches],
        via="hub",
    )


def history(db: Session, user: User, person_id: str) -> PersonHistory | None:
    """A person's history as `user` may see it (restricted cases guarded); audited."""
    found = lookup.person_history(db, person_id)
    if found is None:
        return None
    serialise_audit(db)
    audit.record(db, user.collar, "view", "person", person_id, via="hub")
    return guard_history(db, user, found, outbox=False)  # served as the engine built it


def record(db: Session, user: User, person_id: str) -> PersonRecord | None:
    """A person's record in store form for the terminal to hold (restricted cases as `user`
    may see them); audited as a view of the person."""
    rows = person_record.gather(db, user, person_id)
    if rows is None:
        return None
    serialise_audit(db)
    audit.record(db, user.collar, "view", "person", person_id, via="hub", copy=True)
    return PersonRecord(person_id=person_id, rows=rows, versions=person_record.versions(db, rows))
