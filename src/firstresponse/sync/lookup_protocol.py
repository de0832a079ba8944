"""Lookup answers on the wire (shared by hub and terminal): matches and a person's history.

`LookupMatch` mirrors `firstresponse.lookup.Match`, which the hub validates into it
(`from_attributes`). A person's history is the lookup engine's own `PersonHistory`
(`firstresponse.lookup.models`, re-exported here): the engine builds it, the hub serves it
as it is and the client validates it; what the call handler's screens read is its JSON
form (`HistoryJson`, `history_json`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from firstresponse.lookup.models import (
    HistoryIncident,
    LinkProposal,
    OrderLine,
    PersonHistory,
    SuspectProfile,
)

__all__ = [
    "HistoryIncident",
    "HistoryJson",
    "LinkProposal",
    "LookupMatch",
    "LookupResults",
    "OrderLine",
    "PersonHistory",
    "PersonRecord",
    "SuspectProfile",
    "history_json",
]


class _Wire(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LookupMatch(_Wire):
    """One person who may be the one asked about, with the reasons in plain English."""

    person_id: str
    name: str
    dob: date | None = None
    postcode: str = ""
    score: float = 0.0
    reasons: list[str] = Field(default_factory=list)
    markers: list[str] = Field(default_factory=list)
    da_incidents_12m: int = 0
    as_victim_12m: int = 0
    as_suspect_12m: int = 0


class LookupResults(BaseModel):
    """A repeat-victim search's matches, best first."""

    results: list[LookupMatch]


#: A person's history as the call handler's screens and briefing read it: the JSON form of
#: `PersonHistory`, the same whether the hub or this terminal's store answered.
HistoryJson = dict[str, Any]


def history_json(found: PersonHistory) -> HistoryJson:
    """`found` (the lookup engine's history, or the hub's: both the one `PersonHistory`) in
    its JSON form."""
    return found.model_dump(mode="json")


class PersonRecord(BaseModel):
    """A person's record in store form, for a terminal to hold a copy (see
    `firstresponse.hub.person_record`): rows by table name, parents first, and the newest
    version the hub holds of each row a terminal sent."""

    person_id: str
    rows: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    versions: dict[str, int] = Field(default_factory=dict)
