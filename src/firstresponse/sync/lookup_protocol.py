"""Lookup answers on the wire (shared by hub and terminal): matches and a person's history.

They mirror `firstresponse.lookup.Match` and `PersonHistory`, which the hub and a
terminal's own lookup validate into these models (`from_attributes`), so a change to the
lookup engine's shapes fails where it is read, not silently on a terminal; what the call
handler's screens read is `PersonHistory`'s JSON form (`HistoryJson`, `history_json`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class OrderLine(_Wire):
    """A protective order or safeguarding measure naming the person."""

    kind: str
    detail: str
    in_force: bool
    ends_on: date | None = None
    starts_on: date | None = None
    role: str = ""


class HistoryIncident(_Wire):
    """One incident in a person's history (redacted for roles that may not see restricted)."""

    incident_id: str
    reference: str
    occurred_at: datetime
    role: str
    other_party: str
    relationship: str
    summary: str
    risk_level: str | None = None
    grade: str | None = None
    children: list[str] = Field(default_factory=list)
    restricted: bool = False


class SuspectProfile(_Wire):
    """One suspect's side: live orders (whoever they protect), bail, warrants, warning
    markers, earlier victims and DVDS disclosures (`lookup.perpetrator.SuspectProfile`)."""

    person_id: str
    name: str
    markers: list[str] = Field(default_factory=list)
    orders: list[str] = Field(default_factory=list)
    bail: list[str] = Field(default_factory=list)
    warrants: list[str] = Field(default_factory=list)
    wanted: bool = False
    victims: list[str] = Field(default_factory=list)
    victim_count: int = 0
    restricted_incidents: int = 0
    serial: bool = False
    dvds: list[str] = Field(default_factory=list)
    latest: date | None = None


class LinkProposal(_Wire):
    """Another record that may be the same person, with the reasons."""

    person_id: str
    other_id: str
    other_name: str
    other_dob: date | None = None
    reasons: list[str] = Field(default_factory=list)


class PersonHistory(_Wire):
    """A person's history: markers, orders, incidents and a readable narrative."""

    person_id: str
    name: str
    dob: date | None = None
    aliases: list[str] = Field(default_factory=list)
    markers: list[str] = Field(default_factory=list)
    last_risk_level: str | None = None
    da_incidents_12m: int = 0
    incidents_12m_as_victim: int = 0
    incidents_12m_as_suspect: int = 0
    incidents_12m_as_child: int = 0
    previous_partners: list[str] = Field(default_factory=list)
    orders: list[OrderLine] = Field(default_factory=list)
    on_marac: bool = False
    bail_conditions: list[str] = Field(default_factory=list)
    dvds: list[str] = Field(default_factory=list)
    incidents: list[HistoryIncident] = Field(default_factory=list)
    narrative: list[str] = Field(default_factory=list)
    person_ids: list[str] = Field(default_factory=list)
    linked_records: list[str] = Field(default_factory=list)
    possible_links: list[LinkProposal] = Field(default_factory=list)
    marker_details: list[str] = Field(default_factory=list)
    perpetrator: SuspectProfile | None = None
    suspects: list[SuspectProfile] = Field(default_factory=list)


#: A person's history as the call handler's screens and briefing read it: the JSON form of
#: `PersonHistory`, the same whether the hub or this terminal's store answered.
HistoryJson = dict[str, Any]


def history_json(found: Any) -> HistoryJson:
    """`found` (the lookup engine's history, or the hub's) in its JSON form, through the
    one `PersonHistory`."""
    return PersonHistory.model_validate(found).model_dump(mode="json")


class PersonRecord(BaseModel):
    """A person's record in store form, for a terminal to hold a copy (see
    `firstresponse.hub.person_record`): rows by table name, parents first, and the newest
    version the hub holds of each row a terminal sent."""

    person_id: str
    rows: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    versions: dict[str, int] = Field(default_factory=dict)
