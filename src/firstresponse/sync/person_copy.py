"""Hold a copy of a person the hub knows: their record (`PersonRecord`, in store form)
written into this terminal's store, under the hub's ids.

A copy is the hub's record, not a new one: nothing goes into the outbox, so nothing is sent
back as a new person, and the version the hub holds of each row is noted, so a change made
here later goes out as the next version (`store.outbox.next_version`). A row this terminal
still has unsent changes to keeps the local copy, as a pulled one does (`sync.pull`); so
does a restricted incident held whole here, which a redacted copy never replaces.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from firstresponse.records import (
    Child,
    DvdsApplication,
    DvdsStep,
    Incident,
    OrderOutcome,
    OutboxItem,
    Person,
    PersonAlias,
    PersonLink,
    PersonMarker,
    ProtectiveOrder,
    Warrant,
)
from firstresponse.store import Store
from firstresponse.store.outbox import PENDING, note_hub_versions
from firstresponse.sync.client import HubClient, RequestRejected
from firstresponse.sync.lookup_protocol import PersonRecord

#: The tables of a copy, parents before children (the hub sends them, and they are
#: written, in this order).
TABLES: tuple[type[SQLModel], ...] = (
    Person,
    PersonAlias,
    PersonMarker,
    PersonLink,
    Incident,
    Child,
    ProtectiveOrder,
    OrderOutcome,
    Warrant,
    DvdsApplication,
    DvdsStep,
)


def table_name(model: type[SQLModel]) -> str:
    return str(model.__tablename__)


def _unsent(db: Session, record_id: str) -> bool:
    query = select(OutboxItem.id).where(
        OutboxItem.record_id == record_id, col(OutboxItem.status) == PENDING
    )
    return db.exec(query).first() is not None


def _keeps_local(current: SQLModel, copy: SQLModel) -> bool:
    """A restricted incident held whole here is not replaced by a redacted copy."""
    return (
        isinstance(current, Incident)
        and isinstance(copy, Incident)
        and copy.restricted
        and copy.suspect_id is None
        and current.suspect_id is not None
    )


def _write(db: Session, model: type[SQLModel], data: dict[str, Any]) -> bool:
    try:
        row = model.model_validate(data)
    except ValidationError:
        return False
    row_id: str = row.id  # type: ignore[attr-defined]
    if _unsent(db, row_id):
        return False
    try:
        with db.begin_nested():
            current = db.get(model, row_id)
            if current is None:
                db.add(row)
            elif _keeps_local(current, row):
                return False
            else:
                for name in model.model_fields:
                    if getattr(current, name) != getattr(row, name):
                        setattr(current, name, getattr(row, name))
            db.flush()
    except SQLAlchemyError:
        return False  # clashes with a local record (a reference, a source id): keep ours
    return True


def write_copy(db: Session, record: PersonRecord) -> int:
    """Write the record's rows into the store in the caller's transaction; how many."""
    written = 0
    for model in TABLES:
        for data in record.rows.get(table_name(model), []):
            written += _write(db, model, data)
    note_hub_versions(db, record.versions)
    return written


def hold_copy(store: Store, client: HubClient, person_id: str) -> bool:
    """Fetch the person's record from the hub and hold it here; False when the hub has no
    such person. Network and sign-in failures are raised (`SyncFailure`)."""
    try:
        record = client.person_record(person_id)
    except RequestRejected:
        return False
    with store.session() as db:
        write_copy(db, record)
        return db.get(Person, person_id) is not None
