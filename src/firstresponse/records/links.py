"""Decisions that two person records are (or are not) the same human being."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow

CONFIRMED = "confirmed"
REJECTED = "rejected"
UNLINKED = "unlinked"
LINK_STATUSES = (CONFIRMED, REJECTED, UNLINKED)


class PersonLink(SQLModel, table=True):
    """One pair of records, the latest decision about them, who made it and why.

    One row per pair (`person_id` sorts before `other_id`); a later decision (confirm
    after a rejection, unlink after a confirmation) is a new version of the same record,
    so the hub and the audit log keep every step. People are referred to by id only:
    a terminal may link records it only saw through the hub's lookup.
    """

    __tablename__ = "person_link"
    __table_args__ = (
        Index("ix_person_link_pair", "person_id", "other_id", unique=True),
        Index("ix_person_link_other", "other_id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    person_id: str
    other_id: str
    status: str = CONFIRMED
    reasons: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by: str = ""
    decided_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
