"""The transactional outbox: envelopes written in the same transaction as their record.

Nothing leaves the outbox until the hub acknowledges it. High-risk and child-related
records carry a higher priority and are pushed (and listed) first.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import OutboxItem, canonical_json, content_hash, utcnow

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
        kind=kind,
        version=version,
        content_hash=content_hash(body),
        body=canonical_json(body),
        priority=priority,
    )
    session.add(item)
    return item


def enqueue_record(
    session: Session,
    kind: str,
    record: Any,
    version: int = 1,
    priority: int = PRIORITY_NORMAL,
) -> OutboxItem:
    """Add `record` (a SQLModel row) and its envelope to the caller's transaction.

    The body is the record's JSON form, which the hub writes into the same table. Kinds
    the hub materialises: person, incident, child, assessment, decision, assignment,
    review, notification, audit.
    """
    session.add(record)
    return enqueue(session, kind, record.id, record.model_dump(mode="json"), version, priority)


def waiting(session: Session, limit: int | None = None) -> list[OutboxItem]:
    """Pending envelopes, most urgent first, then oldest first."""
    query = (
        select(OutboxItem)
        .where(OutboxItem.status == PENDING)
        .order_by(col(OutboxItem.priority).desc(), col(OutboxItem.created_at))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


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
