"""The pull feed: assignments, briefings and lookup-index changes, read since a cursor.

A cursor is "txid.seq". On PostgreSQL `txid` is the writing transaction's id and a
reader only sees entries older than every transaction still running, so a slow commit
can never be skipped by a cursor that has moved past it (several hubs may write). On
SQLite writers are serialised and `txid` is 0.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, literal_column, or_, text
from sqlmodel import Session, col, select

from firstresponse.hub.models import HubChange
from firstresponse.records import Assignment, Child, Incident, Person, User, canonical_json
from firstresponse.security.permissions import Action, allowed
from firstresponse.sync.protocol import Change

MAX_INT = 2**31 - 1
MAX_BIGINT = 2**63 - 1
EVERYONE = "*"
RESTRICTED = "*restricted"


def _txid(db: Session) -> int:
    if db.get_bind().dialect.name != "postgresql":
        return 0
    if "txid" not in db.info:
        db.info["txid"] = db.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar()
    return int(db.info["txid"])


def emit(db: Session, topic: str, recipient: str, record_id: str, body: dict[str, Any]) -> None:
    """Add a feed entry in the caller's transaction."""
    db.add(
        HubChange(
            txid=_txid(db),
            topic=topic,
            recipient=recipient,
            record_id=record_id,
            body=canonical_json(body),
        )
    )


def dump(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json")


def on_materialised(db: Session, kind: str, record: Any) -> None:
    """Feed entries for a record the hub has just stored."""
    if kind == "person":
        emit(db, "lookup", EVERYONE, record.id, {"kind": "person", "record": dump(record)})
    elif kind == "incident":
        recipient = RESTRICTED if record.restricted else EVERYONE
        body = {"kind": "incident", "record": dump(record), "people": _people(db, record)}
        emit(db, "lookup", recipient, record.id, body)
    elif kind == "assignment" and record.assignee:
        emit(db, "briefing", record.assignee, record.id, briefing(db, record))
        emit(db, "assignment", record.assignee, record.id, {"assignment": dump(record)})


def _people(db: Session, incident: Incident) -> list[dict[str, Any]]:
    found = (db.get(Person, pid) for pid in (incident.victim_id, incident.suspect_id) if pid)
    return [dump(person) for person in found if person is not None]


def briefing(db: Session, assignment: Assignment) -> dict[str, Any]:
    """What an attending officer needs offline: the incident, its people and children."""
    incident = db.get(Incident, assignment.incident_id)
    people: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    if incident is not None:
        people = _people(db, incident)
        query = select(Child).where(Child.incident_id == incident.id)
        children = [dump(child) for child in db.exec(query)]
    return {
        "assignment_id": assignment.id,
        "grade": assignment.grade,
        "briefing": assignment.briefing,
        "incident": dump(incident) if incident is not None else None,
        "people": people,
        "children": children,
    }


def recipients(user: User) -> list[str]:
    """Whose feed entries `user` may read.

    The lookup index goes to control-room and supervisor terminals only: a responder's
    laptop carries its own briefings, not the force's whole history (least data on the
    devices most likely to be lost).
    """
    names = [user.collar]
    if user.team:
        names.append(user.team)
    if allowed(user, Action.TAKE_CALL) or allowed(user, Action.REVIEW):
        names.append(EVERYONE)
    if allowed(user, Action.VIEW_RESTRICTED):
        names.append(RESTRICTED)
    return names


def parse_cursor(cursor: str) -> tuple[int, int]:
    if not cursor:
        return (-1, -1)
    txid, seq = (int(part) for part in cursor.split("."))
    return (min(txid, MAX_BIGINT), min(seq, MAX_INT))  # past any real entry, still in range


def read(db: Session, user: User, cursor: str, limit: int) -> tuple[list[Change], str, bool]:
    """Up to `limit` entries for `user` after `cursor`; the new cursor; whether more wait."""
    txid, seq = parse_cursor(cursor)
    query = select(HubChange).where(
        col(HubChange.recipient).in_(recipients(user)),
        or_(
            col(HubChange.txid) > txid,
            and_(col(HubChange.txid) == txid, col(HubChange.seq) > seq),
        ),
    )
    if db.get_bind().dialect.name == "postgresql":
        horizon: Any = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        query = query.where(col(HubChange.txid) < horizon)
    query = query.order_by(col(HubChange.txid), col(HubChange.seq)).limit(limit + 1)
    rows = list(db.exec(query))
    more = len(rows) > limit
    changes = [
        Change(
            cursor=f"{row.txid}.{row.seq}",
            topic=row.topic,  # type: ignore[arg-type]
            record_id=row.record_id,
            body=json.loads(row.body),
        )
        for row in rows[:limit]
    ]
    return changes, (changes[-1].cursor if changes else cursor), more
