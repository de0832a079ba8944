"""Users, the audit log, notifications, the sync outbox and the hub versions it follows,
and the history imports a database has run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text, desc
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow
from firstresponse.records.roles import TERMINAL_ONLY, table_of


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
    author: str = Field(default="", sa_column_kwargs={"server_default": ""})
    key_id: str = Field(default="", sa_column_kwargs={"server_default": ""})
    signature: str = Field(default="", sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    acknowledged_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


_OUTBOX = table_of(OutboxItem)
#: The order rows are pushed in: by status, most urgent first, oldest first (0003).
Index("ix_outboxitem_waiting", _OUTBOX.c.status, desc(_OUTBOX.c.priority), _OUTBOX.c.created_at)


class HubVersion(SQLModel, table=True):
    """The newest version of a record the hub is known to hold (terminals only): told by
    the feed with every record it sends, so a change made here goes out as the next one."""

    __tablename__ = "known_hub_version"
    __table_args__ = {"info": TERMINAL_ONLY}

    record_id: str = Field(primary_key=True)
    version: int


#: A history import in progress or done, so a stopped one resumes (history.job; 0005).
HISTORY_IMPORT = Table(
    "history_import",
    SQLModel.metadata,
    Column("id", String, primary_key=True),  # SHA-256 of the file's bytes
    Column("path", String, nullable=False),
    Column("groups_done", Integer, nullable=False),
    Column("failures", Text, nullable=False),  # JSON: incidents refused so far
    Column("added", Text, nullable=False),  # JSON: records added so far
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)
