"""The lookup index tables: search keys per person, and the fuzzy vocabulary of name terms."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class LookupKey(SQLModel, table=True):
    """One search key of one person, e.g. ``nn:smith|william``, ``t:7700900123``, ``pc:B11AA``."""

    __tablename__ = "lookup_key"
    __table_args__ = (
        Index("ix_lookup_key_key", "key", "person_id"),
        Index("ix_lookup_key_person", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str
    person_id: str


class LookupTerm(SQLModel, table=True):
    """A spelling variant (deletion or sound code) that leads to a name term in the index."""

    __tablename__ = "lookup_term"

    variant: str = Field(primary_key=True)
    term: str = Field(primary_key=True)
