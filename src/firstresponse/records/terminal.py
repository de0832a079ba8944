"""Tables made on terminals' stores only: the sync position, the hub's held records, pulled
records waiting for a record they refer to, unsent sign-outs, officers' wrapped signing
keys, and forms typed but not yet saved.

(`known_hub_version`, also a terminal's own, is `records.system.HubVersion`.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel

from firstresponse.records.base import utcnow
from firstresponse.records.roles import TERMINAL_ONLY


class SyncCursor(SQLModel, table=True):
    """How far this terminal has read a hub feed (sync.state)."""

    __tablename__ = "sync_cursor"
    __table_args__ = {"info": TERMINAL_ONLY}

    name: str = Field(primary_key=True)
    value: str = ""
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class HeldRecord(SQLModel, table=True):
    """One record version held on the hub, and the parent ("kind:id") it waits for
    (sync.held)."""

    __tablename__ = "held_record"
    __table_args__ = {"info": TERMINAL_ONLY}

    record_id: str = Field(primary_key=True)
    version: int = Field(primary_key=True)
    kind: str
    waits_for: str
    waits_for_kind: str = ""
    author: str = ""
    device: str = ""
    since: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

    @property
    def describe(self) -> str:
        kind, _, ident = self.waits_for.partition(":")
        return f"{self.kind} {self.record_id[:8]}: waiting for {kind} {ident[:8]}"


class PulledWaiting(SQLModel, table=True):
    """A record pulled from the hub that refers to one this terminal does not hold yet
    (`waits_for`, "kind:id"): kept as the feed carried it (`body`, with the `version` the
    hub said, 0 when not told) and filed once what it refers to arrives (sync.pull)."""

    __tablename__ = "pulled_waiting"
    __table_args__ = {"info": TERMINAL_ONLY}

    record_id: str = Field(primary_key=True)
    kind: str
    version: int = 0
    body: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    waits_for: str
    since: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class PendingSignOut(SQLModel, table=True):
    """A session an officer signed out of that the hub has not been told about yet
    (sync.signouts)."""

    __tablename__ = "pending_signout"
    __table_args__ = {"info": TERMINAL_ONLY}

    digest: str = Field(primary_key=True)
    collar: str
    signed_out_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class TerminalCredential(SQLModel, table=True):
    """An officer's signing key on this terminal, wrapped by their PIN, and the PIN stamp
    the hub gave when it was made (session.signin)."""

    __tablename__ = "terminal_credential"
    __table_args__ = {"info": TERMINAL_ONLY}

    collar: str = Field(primary_key=True)
    key_id: str
    wrapped_key: str
    pin_stamp: str
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class FormDraft(SQLModel, table=True):
    """One officer's unsaved typing in one form (`form` names the form and its record;
    store.form_drafts). Its time is written naive, as 0014 made the column."""

    __tablename__ = "form_draft"
    __table_args__ = {"info": TERMINAL_ONLY}

    author: str = Field(primary_key=True)
    form: str = Field(primary_key=True)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime, nullable=False))
