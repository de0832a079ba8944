"""Incidents, the children in them, assignments to officers and accountable decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


class Incident(SQLModel, table=True):
    """A domestic abuse incident: historic, imported, or a live call."""

    id: str = Field(default_factory=new_id, primary_key=True)
    reference: str = Field(unique=True)
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    victim_id: str = Field(foreign_key="person.id", index=True)
    suspect_id: str | None = Field(default=None, foreign_key="person.id", index=True)
    relationship: str = ""
    address: str = ""
    postcode: str = ""
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    risk_level: str | None = None
    crime_recorded: bool = False
    arrest_made: bool | None = None
    grade: str | None = None
    restricted: bool = False
    status: str = "historic"
    source: str = "history"
    source_ref: str | None = Field(default=None, unique=True)
    created_by: str = ""


class Child(SQLModel, table=True):
    """A child present at or linked to an incident: a victim in their own right."""

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id")
    name: str
    age: int | None = None
    dob: date | None = None
    school: str = ""
    where_during: str = ""
    seen: bool | None = None
    spoken_to: bool | None = None
    reason: str = ""


class Assignment(SQLModel, table=True):
    """An incident sent to attending officers, with the call handler's briefing."""

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    assignee: str = Field(default="", index=True)
    grade: str = ""
    briefing: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = "open"
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Decision(SQLModel, table=True):
    """A decision that could ration attendance or reduce protection, with its reason.

    Kinds include low_grade, no_deployment, grade_override, no_arrest, bwv_off,
    child_not_seen, child_not_spoken_to, risk_lowered, referral_declined. Every one
    reaches a supervisor's queue.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str | None = Field(default=None, foreign_key="incident.id", index=True)
    assessment_id: str | None = Field(default=None, index=True)
    kind: str = Field(index=True)
    reason: str
    made_by: str = ""
    authorised_by: str = ""
    made_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    reviewed: bool = False
