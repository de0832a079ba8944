"""Answer sets against a checklist version, and supervisors' reviews of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


class Assessment(SQLModel, table=True):
    """Answers to one checklist (THRIVE, first response, risk, ...) for one incident.

    A draft changes on every answer. A submitted assessment never changes: an
    amendment is a new row whose `replaces_id` names the old one, with a reason.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str | None = Field(default=None, foreign_key="incident.id", index=True)
    checklist_id: str = Field(index=True)
    checklist_version: str
    checklist_hash: str
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="draft", index=True)
    version: int = 1
    replaces_id: str | None = Field(default=None, index=True)
    amendment_reason: str = ""
    author: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Review(SQLModel, table=True):
    """A supervisor's dip-sample review of an assessment or call decision, with feedback."""

    id: str = Field(default_factory=new_id, primary_key=True)
    subject_kind: str
    subject_id: str = Field(index=True)
    sample_id: str | None = Field(default=None, index=True)
    reviewer: str
    officer: str = Field(default="", index=True)
    checklist_id: str = "dip_sample_review"
    checklist_version: str = ""
    checklist_hash: str = ""
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    outcome: str = ""
    feedback: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    acknowledged_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class DipSample(SQLModel, table=True):
    """A reproducible dip sample: its window, rate, seed and the items drawn with why."""

    id: str = Field(default_factory=new_id, primary_key=True)
    window_from: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    window_to: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    rate: float
    seed: int
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_by: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
