"""Hub-only tables: enrolled devices, every envelope received, the change feed, sessions,
signing keys and sign-in attempts, and the feed entries a migration noted as owed.

The hub keeps nothing that matters in memory: idempotence comes from the unique
constraint on (record_id, version) and from transactions, so several hub processes
can share one PostgreSQL database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow
from firstresponse.records.roles import HUB_ONLY


class HubDevice(SQLModel, table=True):
    """A terminal allowed to talk to the hub. Only a SHA-256 of its token is kept."""

    __tablename__ = "hub_device"
    __table_args__ = {"info": HUB_ONLY}

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
    __table_args__ = (
        UniqueConstraint("record_id", "version", name="uq_hub_envelope_record"),
        {"info": HUB_ONLY},
    )

    seq: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(index=True)
    kind: str = Field(index=True)
    version: int
    content_hash: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    device_id: str = Field(default="", index=True)
    pushed_by: str = ""  # the officer it is written as: its attested author (hub.attest)
    sent_by: str = Field(
        default="", sa_column_kwargs={"server_default": ""}
    )  # the officer whose session sent it (another, after a shift change)
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
    __table_args__ = (Index("ix_hub_change_order", "txid", "seq"), {"info": HUB_ONLY})

    seq: int | None = Field(default=None, primary_key=True)
    txid: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    topic: str
    recipient: str = Field(index=True)
    record_id: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class HubSession(SQLModel, table=True):
    """An officer signed in on one device: a random token kept only as its SHA-256.

    Valid until `expires_at` (end of shift), while used within the idle limit, and only
    while the device is enrolled and the officer active, unlocked and on the PIN that
    `pin_stamp` was taken from (hub.sessions).
    """

    __tablename__ = "hub_session"
    __table_args__ = {"info": HUB_ONLY}

    id: str = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(unique=True)
    device_id: str = Field(index=True)
    user_id: str = Field(index=True)
    collar: str
    pin_stamp: str
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revoked_reason: str = ""


class HubSigningKey(SQLModel, table=True):
    """An officer's public key on one device, registered at an online sign-in (hub.attest)."""

    __tablename__ = "hub_signing_key"
    __table_args__ = {"info": HUB_ONLY}

    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str
    collar: str
    device_id: str = Field(index=True)
    public_key: str
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class HubSignInAttempt(SQLModel, table=True):
    """One sign-in attempt, counted per device and per collar for rate limiting."""

    __tablename__ = "hub_sign_in_attempt"
    __table_args__ = {"info": HUB_ONLY}

    seq: int | None = Field(default=None, primary_key=True)
    device_id: str
    collar: str
    ok: bool
    at: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )


#: Kinds whose feed entries a migration noted the hub still owes
#: (0013; `hub.feed.backfill_pending`).
FEED_BACKFILL = Table(
    "hub_feed_backfill",
    SQLModel.metadata,
    Column("kind", String, primary_key=True),
    info=HUB_ONLY,
)
