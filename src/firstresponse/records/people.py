"""People known to the force: victims, suspects and children, with aliases, markers and orders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, String, Table, Text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


class Person(SQLModel, table=True):
    """One human being, however many names, numbers and addresses they have had."""

    id: str = Field(default_factory=new_id, primary_key=True)
    forename: str = Field(index=True)
    surname: str = Field(index=True)
    dob: date | None = None
    gender: str = ""
    ethnicity: str = Field(
        default="", sa_column_kwargs={"server_default": ""}
    )  # self-defined, an 18+1 code (vocab.ETHNICITIES); "": not recorded
    phone: str = ""
    postcode: str = ""
    address: str = ""
    source_ref: str | None = Field(default=None, unique=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}".strip()


class PersonAlias(SQLModel, table=True):
    """Another name the person is known by: alias, nickname, previous or married surname."""

    id: str = Field(default_factory=new_id, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    forename: str = ""
    surname: str = ""
    kind: str = "alias"


class PersonMarker(SQLModel, table=True):
    """A warning or vulnerability marker (see `firstresponse.vocab.Marker`).

    Says where it came from (`source`: import, call, scene, record) and who recorded it.
    A marker is never deleted: one that no longer applies is ended, with who and why.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    marker: str = Field(index=True)
    note: str = ""
    added_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    source: str = Field(default="", sa_column_kwargs={"server_default": ""})
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    ended_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    ended_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    end_reason: str = Field(default="", sa_column_kwargs={"server_default": ""})

    @property
    def current(self) -> bool:
        return self.ended_at is None


class ProtectiveOrder(SQLModel, table=True):
    """Bail conditions, DVPN/DVPO, orders, MARAC listings and DVDS disclosures."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(index=True)
    subject_id: str = Field(foreign_key="person.id", index=True)
    protected_id: str | None = Field(default=None, foreign_key="person.id", index=True)
    incident_id: str | None = Field(default=None, foreign_key="incident.id")
    detail: str = ""
    starts_on: date | None = None
    ends_on: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the order applies on `on`."""
        started = self.starts_on is None or self.starts_on <= on
        return started and (self.ends_on is None or on <= self.ends_on)


#: Orders an earlier release recorded against the victim where the incident names no
#: suspect, for a supervisor to put right (0015; `followup.orders.orders_to_review`).
ORDER_PARTY_REVIEW = Table(
    "order_party_review",
    SQLModel.metadata,
    Column("order_id", String, primary_key=True),
    Column("reason", Text, nullable=False),
)
