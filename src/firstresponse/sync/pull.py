"""Pull assignments, briefings, lookup changes and the records about incidents that other
terminals filed (orders, submitted assessments, decisions, reviews, follow-through
records) from the hub into the local store.

Each page is applied and its cursor saved in one transaction, so a crash repeats a
page (harmless: applying is an upsert) and never skips one. A local record with
changes still waiting in the outbox is never overwritten by the hub's older copy; the
version the hub holds of every record a page carries is kept either way, so a change
made here goes out as the version after it (store.outbox.next_version).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from firstresponse.records import Incident, Kind, OutboxItem, Person
from firstresponse.records.kinds import MODELS
from firstresponse.store import Store
from firstresponse.store.outbox import PENDING, note_hub_versions
from firstresponse.sync.client import HubClient
from firstresponse.sync.feed import BATCH as BATCH  # the batch entries' kind (hub.history_import)
from firstresponse.sync.feed import (
    AssignmentChange,
    BatchBody,
    BriefingChange,
    Change,
    LookupChange,
    Record,
    RecordBody,
)
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.state import get_cursor, set_cursor

#: The kinds the hub's feed sends terminals (hub.feed): every record kind but the hub's
#: own notifications and audit entries; anything else in a page is ignored.
PULLED = frozenset(MODELS) - {Kind.NOTIFICATION, Kind.AUDIT}


def _unsent(db: Session, record_id: str) -> bool:
    query = select(OutboxItem.id).where(
        OutboxItem.record_id == record_id, col(OutboxItem.status) == PENDING
    )
    return db.exec(query).first() is not None


def upsert(db: Session, kind: str, data: dict[str, Any] | None) -> bool:
    """Write the hub's copy of a record unless this terminal has unsent changes to it."""
    if kind not in PULLED or not data or not data.get("id"):
        return False
    model = MODELS[Kind(kind)]
    try:
        record = model.model_validate(data)
    except ValidationError:
        return False
    if _unsent(db, record.id):  # type: ignore[attr-defined]
        return False
    try:
        with db.begin_nested():
            current = db.get(model, record.id)  # type: ignore[attr-defined]
            if current is None:
                db.add(record)
            else:
                for name in model.model_fields:
                    setattr(current, name, getattr(record, name))
            db.flush()
    except SQLAlchemyError:
        return False  # clashes with a local record (e.g. a reference): keep the local one
    return True


def _present(db: Session, model: type[SQLModel], record_id: str | None) -> bool:
    return not record_id or db.get(model, record_id) is not None


def _people_held(db: Session, incident: Record) -> bool:
    return _present(db, Person, incident.get("victim_id")) and _present(
        db, Person, incident.get("suspect_id")
    )


def _file_lookup(db: Session, body: RecordBody) -> None:
    """File one record the lookup topic carries, with the people and incident it names."""
    for person in body.people:
        upsert(db, Kind.PERSON, person)
    incident = body.incident  # what a follow-through record refers to
    if incident and _people_held(db, incident):
        upsert(db, Kind.INCIDENT, incident)
    if body.kind == Kind.INCIDENT and not _people_held(db, body.record):
        return
    upsert(db, body.kind, body.record)


def _file_batch(db: Session, body: BatchBody) -> None:
    """File a batch (an import's records, `hub.history_import`): the people it carries,
    then each record as its own entry would be filed, in order."""
    for person in body.people:
        upsert(db, Kind.PERSON, person)
    for item in body.records:
        _file_lookup(db, item)


def apply(db: Session, entry: Change) -> None:
    """Apply one feed entry to the local store."""
    match entry:
        case LookupChange(body=BatchBody() as batch):
            _file_batch(db, batch)
        case LookupChange(body=RecordBody() as one):
            _file_lookup(db, one)
        case BriefingChange(body=briefing):
            for person in briefing.people:
                upsert(db, Kind.PERSON, person)
            upsert(db, Kind.INCIDENT, briefing.incident)
            for child in briefing.children:
                upsert(db, Kind.CHILD, child)
        case AssignmentChange(body=sent):
            if _present(db, Incident, sent.assignment.get("incident_id")):
                upsert(db, Kind.ASSIGNMENT, sent.assignment)


def hub_versions(changes: list[Change]) -> dict[str, int]:
    """The newest version the hub holds of each record the entries carry (their bodies'
    "versions"; a hub before them sends none)."""
    found: dict[str, int] = {}
    for entry in changes:
        for record_id, version in entry.body.versions.items():
            if type(version) is int and version > found.get(record_id, 0):
                found[record_id] = version
    return found


def cursor_name(collar: str) -> str:
    """Each officer reads the feed from their own position: what the hub sends depends on
    who is signed in, so a shared laptop's next officer must not start where the last one
    stopped (their entries before that point would never arrive)."""
    return f"pull:{collar}" if collar else "pull"


def file_page(db: Session, page: PullResponse, name: str) -> None:
    """Apply a page and move the cursor `name` past it (one transaction: the caller's)."""
    for change in page.changes:
        apply(db, change)
    note_hub_versions(db, hub_versions(page.changes))
    set_cursor(db, page.cursor, name)


def pull_changes(store: Store, client: HubClient, limit: int = 200, max_pages: int = 100) -> int:
    """Fetch and apply pages until the feed is exhausted; returns how many entries."""
    count, name = 0, cursor_name(client.collar)
    for _ in range(max_pages):
        with store.session() as db:
            cursor = get_cursor(db, name)
        page = client.pull(cursor, limit)
        with store.session() as db:
            file_page(db, page, name)
        count += len(page.changes)
        if not page.more:
            break
    return count
