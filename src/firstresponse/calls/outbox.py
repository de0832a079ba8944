"""Enqueue a changed record as its next version (the hub keeps one row per id and version)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from firstresponse.records import OutboxItem
from firstresponse.store.outbox import enqueue_record


def next_version(db: Session, record_id: str) -> int:
    """One more than the newest version of `record_id` already in the outbox (1 if none)."""
    newest = db.exec(
        select(func.max(OutboxItem.version)).where(OutboxItem.record_id == record_id)
    ).one()
    return int(newest or 0) + 1


def enqueue_change(db: Session, kind: str, record: Any, priority: int) -> OutboxItem:
    """Add `record` and an envelope for its next version to the caller's transaction."""
    return enqueue_record(db, kind, record, next_version(db, record.id), priority)
