"""Users, the audit log, notifications, the sync outbox and the hub versions it follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


class User(SQLModel, table=True):
    """A person who uses a terminal: collar number, role, team, Argon2-hashed PIN."""

    id: str = Field(default_factory=new_id, primary_key=True)
    collar: str = Field(unique=True)
    name: str
    role: str
    team: str = ""
    pin_hash: str = ""
    failed_attempts: int = 0
    locked: bool = False
    active: bool = True
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AuditEvent(SQLModel, table=True):
    """One append-only, hash-chained audit entry: who did what to which record."""

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(default_factory=new_id, unique=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    actor: str
    action: str = Field(index=True)
    subject_kind: str = ""
    subject_id: str = Field(default="", index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = ""
    hash: str = ""


class Notification(SQLModel, table=True):
    """A message for a role or a person: PSD/inspector alerts, review feedback."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(index=True)
    recipient: str = Field(index=True)
    subject_kind: str = ""
    subject_id: str = ""
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    read_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class OutboxItem(SQLModel, table=True):
    """An envelope waiting for the hub: written in the same transaction as its record.

    Status: pending -> acknowledged (accepted or duplicate), or quarantined with the
    hub's reason (rejected, conflict). A row is never deleted before acknowledgement.
    """

    __table_args__ = (
        Index("ix_outboxitem_waiting", "status", text("priority DESC"), "created_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    record_id: str = Field(index=True)
    kind: str
    version: int = 1
    content_hash: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    priority: int = Field(default=0, index=True)
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    last_error: str = ""
    # Who made the record, and their signature over it (sync.attest), set at submission.
    author: str = ""
    key_id: str = ""
    signature: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    acknowledged_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class HubVersion(SQLModel, table=True):
    """The newest version of a record the hub is known to hold (terminals only): told by
    the feed with every record it sends, so a change made here goes out as the next one."""

    __tablename__ = "known_hub_version"

    record_id: str = Field(primary_key=True)
    version: int
