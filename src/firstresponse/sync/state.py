"""The terminal's remembered pull position, one row per feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, Session, SQLModel

from firstresponse.records.base import utcnow


class SyncCursor(SQLModel, table=True):
    """How far this terminal has read a hub feed."""

    __tablename__ = "sync_cursor"

    name: str = Field(primary_key=True)
    value: str = ""
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def get_cursor(db: Session, name: str) -> str:
    row = db.get(SyncCursor, name)
    return row.value if row else ""


def set_cursor(db: Session, value: str, name: str) -> None:
    row = db.get(SyncCursor, name) or SyncCursor(name=name)
    row.value = value
    row.updated_at = utcnow()
    db.add(row)
