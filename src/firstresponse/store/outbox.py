"""The transactional outbox: envelopes written in the same transaction as their record.

Nothing leaves the outbox until the hub acknowledges it. High-risk and child-related
records carry a higher priority and are pushed (and listed) first, and so do the waiting
records they refer to (the incident of a child, the victim of an incident): the hub can
only file a record once its parents have arrived.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from firstresponse.records import (
    HubVersion,
    OutboxItem,
    canonical_json,
    content_hash,
    kind_of,
    limits,
    utcnow,
)
from firstresponse.records.kinds import MODELS, kind_of_table

PRIORITY_NORMAL = 0
PRIORITY_CHILD = 10
PRIORITY_HIGH_RISK = 20

PENDING = "pending"
ACKNOWLEDGED = "acknowledged"
QUARANTINED = "quarantined"


def enqueue(
    session: Session,
    kind: str,
    record_id: str,
    body: dict[str, Any],
    version: int = 1,
    priority: int = PRIORITY_NORMAL,
) -> OutboxItem:
    """Add an envelope for `body` to the caller's transaction (not committed here)."""
    item = OutboxItem(
        record_id=record_id,
        kind=str(kind),
        version=version,
        content_hash=content_hash(body),
        body=canonical_json(body),
        priority=priority,
    )
    session.add(item)
    return item


def enqueue_record(
    session: Session,
    record: SQLModel,
    *,
    priority: int = PRIORITY_NORMAL,
    floor: int = 1,
) -> OutboxItem:
    """Add `record` and an envelope for its next version, of the record's kind
    (records.kinds), to the caller's transaction: the one way a record enters the outbox.

    The version is `next_version`'s, never the caller's: 1 for a record never queued here
    nor known on the hub, else one past the newest queued here or held by the hub, so no two
    envelopes share an (id, version) and a resend never repeats one with other content.
    `floor` is the least version it may go out as (see `next_version`), e.g. an amended
    assessment's own version, or a pulled record's version on a hub that did not say it.

    The body is the record's JSON form, which the hub writes into the same table. A record
    outside its bounds (records.limits) raises InvalidRecord before anything is added.
    """
    record_id: str = record.id  # type: ignore[attr-defined]
    version = next_version(session, record_id, floor)
    kind = kind_of(record)
    body = wire_body(record)
    limits.check(str(record.__tablename__), body)
    session.add(record)
    item = enqueue(session, kind, record_id, body, version, priority)
    if priority > PRIORITY_NORMAL:
        lift_parents(session, record, priority)
    return item


def wire_body(record: Any) -> dict[str, Any]:
    """The record's JSON form, its times always in UTC with their zone ("...Z").

    SQLite gives a time back without the zone it was stored with (UTC), so a record read
    from the store and sent again as a new version would otherwise differ from the version
    before it in the text of every time it did not change.
    """
    body: dict[str, Any] = record.model_dump(mode="json")
    for name in type(record).model_fields:
        value = getattr(record, name, None)
        if isinstance(value, datetime) and value.tzinfo is None:
            body[name] = to_jsonable_python(value.replace(tzinfo=UTC))
    return body


def lift_parents(session: Session, record: Any, priority: int) -> None:
    """Raise waiting envelopes of the records `record` refers to (and theirs) to `priority`."""
    table: Any = type(record).__table__
    for fk in table.foreign_keys:
        parent_id = getattr(record, fk.parent.name, None)
        if not parent_id:
            continue
        lifted = list(
            session.exec(
                select(OutboxItem).where(
                    OutboxItem.record_id == parent_id,
                    OutboxItem.status == PENDING,
                    OutboxItem.priority < priority,
                )
            )
        )
        for item in lifted:
            item.priority = priority
            session.add(item)
        kind = kind_of_table(fk.column.table.name) if lifted else None
        parent = session.get(MODELS[kind], parent_id) if kind is not None else None
        if parent is not None:
            lift_parents(session, parent, priority)


def _waiting_query(*columns: Any) -> Any:
    return (
        select(*columns)
        .where(OutboxItem.status == PENDING)
        .order_by(col(OutboxItem.priority).desc(), col(OutboxItem.created_at))
    )


def waiting(session: Session, limit: int | None = None) -> list[OutboxItem]:
    """Pending envelopes, most urgent first, then oldest first."""
    query = _waiting_query(OutboxItem)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def next_batch(session: Session, limit: int) -> list[Any]:
    """The next `limit` pending envelopes in push order, as plain rows (no ORM objects):
    id, record_id, kind, version, content_hash, body, author, key_id, signature, created_at."""
    query = _waiting_query(
        OutboxItem.id,
        OutboxItem.record_id,
        OutboxItem.kind,
        OutboxItem.version,
        OutboxItem.content_hash,
        OutboxItem.body,
        OutboxItem.author,
        OutboxItem.key_id,
        OutboxItem.signature,
        OutboxItem.created_at,
    ).limit(limit)
    return list(session.execute(query))


def quarantined(session: Session) -> list[OutboxItem]:
    """Envelopes the hub refused, with its reason in `last_error`."""
    query = select(OutboxItem).where(OutboxItem.status == QUARANTINED)
    return list(session.exec(query.order_by(col(OutboxItem.created_at))))


def acknowledge(session: Session, item: OutboxItem) -> None:
    item.status = ACKNOWLEDGED
    item.acknowledged_at = utcnow()
    item.last_error = ""
    session.add(item)


def quarantine(session: Session, item: OutboxItem, reason: str) -> None:
    item.status = QUARANTINED
    item.last_error = reason
    session.add(item)


def record_failure(session: Session, item: OutboxItem, reason: str) -> None:
    """A transient failure: the envelope stays pending for the next attempt."""
    item.attempts += 1
    item.last_error = reason
    session.add(item)


def next_version(session: Session, record_id: str, floor: int = 1) -> int:
    """The version a changed record goes out as: one past the newest queued here and the
    newest the hub is known to hold (`note_hub_versions`), at least `floor`.

    `floor` is the guess for a record pulled from a hub that did not say its version (an
    earlier hub, or a record pulled before terminals kept them): a pulled incident is
    version 1 or 2 on the hub, so a change made here is at least the next.
    """
    query = select(func.max(OutboxItem.version)).where(col(OutboxItem.record_id) == record_id)
    newest = session.exec(query).one() or 0
    known = session.get(HubVersion, record_id)
    return max(int(newest) + 1, (known.version + 1) if known else 1, floor)


def note_hub_versions(session: Session, versions: dict[str, int]) -> None:
    """Remember the newest version of each record the hub holds (never lowering one)."""
    if not versions:
        return
    ids = sorted(versions)
    held: dict[str, HubVersion] = {}
    for start in range(0, len(ids), 500):
        query = select(HubVersion).where(col(HubVersion.record_id).in_(ids[start : start + 500]))
        held.update({row.record_id: row for row in session.exec(query)})
    for record_id in ids:
        row = held.get(record_id)
        if row is None:
            session.add(HubVersion(record_id=record_id, version=versions[record_id]))
        elif versions[record_id] > row.version:
            row.version = versions[record_id]
            session.add(row)
