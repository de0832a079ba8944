"""Hub-only tables: enrolled devices, every envelope received, and the change feed.

The hub keeps nothing that matters in memory: idempotence comes from the unique
constraint on (record_id, version) and from transactions, so several hub processes
can share one PostgreSQL database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


class HubDevice(SQLModel, table=True):
    """A terminal allowed to talk to the hub. Only a SHA-256 of its token is kept."""

    __tablename__ = "hub_device"

    id: str = Field(default_factory=new_id, primary_key=True)
    name: str = Field(unique=True)
    token_hash: str = Field(unique=True)
    created_by: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revoked_by: str = ""


class HubEnvelope(SQLModel, table=True):
    """One accepted envelope: exactly one row per (record_id, version), however often sent."""

    __tablename__ = "hub_envelope"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_hub_envelope_record"),)

    seq: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(index=True)
    kind: str = Field(index=True)
    version: int
    content_hash: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    device_id: str = ""
    pushed_by: str = ""
    materialised: bool = False
    waits_for: str | None = Field(default=None, index=True)  # missing parent record id
    received_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class HubChange(SQLModel, table=True):
    """An entry in the pull feed: an assignment, a briefing or a lookup-index change.

    `txid` is the writing transaction's id on PostgreSQL (0 on SQLite, whose writers are
    serialised); the feed is read in (txid, seq) order so no concurrent commit is skipped.
    """

    __tablename__ = "hub_change"
    __table_args__ = (Index("ix_hub_change_order", "txid", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    txid: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    topic: str
    recipient: str = Field(index=True)
    record_id: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
