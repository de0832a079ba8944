"""The terminal's remembered pull position, one row per feed."""

from __future__ import annotations

from sqlmodel import Session

from firstresponse.records.base import utcnow
from firstresponse.records.terminal import SyncCursor


def get_cursor(db: Session, name: str) -> str:
    row = db.get(SyncCursor, name)
    return row.value if row else ""


def set_cursor(db: Session, value: str, name: str) -> None:
    row = db.get(SyncCursor, name) or SyncCursor(name=name)
    row.value = value
    row.updated_at = utcnow()
    db.add(row)
