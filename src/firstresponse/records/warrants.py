"""Warrants and wanted circulations against a person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id

OUTSTANDING = "outstanding"
WARRANT_KINDS = ("arrest", "bench", "recall", "wanted")  # "wanted": circulated, no warrant
WARRANT_STATUSES = (OUTSTANDING, "executed", "cancelled", "withdrawn")


class Warrant(SQLModel, table=True):
    """A warrant (arrest, bench, recall) or a wanted circulation, and whether it is live."""

    id: str = Field(default_factory=new_id, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    kind: str = "arrest"
    offence: str = ""
    issued_on: date | None = None
    issued_by: str = ""  # the court or the circulating force
    status: str = OUTSTANDING
    ended_on: date | None = None
    incident_id: str | None = Field(default=None, foreign_key="incident.id")
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    @property
    def live(self) -> bool:
        return self.status == OUTSTANDING
