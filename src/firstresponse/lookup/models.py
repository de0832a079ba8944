"""A person's history as the lookup engine builds it and the wire carries it: one set of
pydantic models, shared by the hub (which serves them as they are), a terminal's own lookup
and the hub client (`sync.lookup_protocol` re-exports them).

The engine builds them validated, as the client reads them: with pydantic 2.14 that is no
slower than `model_construct`, which fills each missing `default_factory` field through
`inspect.signature` (about a millisecond a `PersonHistory`). Field names and defaults are the
wire's: a change here is a change to `/v1/lookup/people/{person_id}`.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrderLine(_Wire):
    """A protective order or safeguarding measure naming the person, as subject or as the
    one protected."""

    kind: str
    detail: str
    in_force: bool
    ends_on: date | None = None
    starts_on: date | None = None
    role: str = ""  # "subject" (the order is against them) or "protected"


class HistoryIncident(_Wire):
    """One incident in a person's history (redacted for roles that may not see restricted)."""

    incident_id: str
    reference: str
    occurred_at: datetime
    role: str  # "victim" or "suspect"
    other_party: str
    relationship: str
    summary: str
    risk_level: str | None = None
    grade: str | None = None
    children: list[str] = Field(default_factory=list)
    restricted: bool = False


class SuspectProfile(_Wire):
    """One suspect's side, as lines ready to read: live orders (whoever they protect), bail,
    warrants, warning markers, earlier victims and DVDS disclosures (`lookup.perpetrator`)."""

    person_id: str
    name: str
    markers: list[str] = Field(default_factory=list)
    orders: list[str] = Field(default_factory=list)  # live, whoever they protect
    bail: list[str] = Field(default_factory=list)
    warrants: list[str] = Field(default_factory=list)
    wanted: bool = False
    victims: list[str] = Field(default_factory=list)
    victim_count: int = 0
    restricted_incidents: int = 0
    serial: bool = False
    dvds: list[str] = Field(default_factory=list)
    latest: date | None = None  # their latest incident with the person the history is about


class LinkProposal(_Wire):
    """Another record that may be the same person, with every reason in plain English."""

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
    da_incidents_12m: int = 0  # every DA incident naming them in 12 months, any role
    incidents_12m_as_victim: int = 0
    incidents_12m_as_suspect: int = 0
    incidents_12m_as_child: int = 0  # a child recorded at the incident (as that person)
    previous_partners: list[str] = Field(default_factory=list)
    orders: list[OrderLine] = Field(default_factory=list)
    on_marac: bool = False
    bail_conditions: list[str] = Field(default_factory=list)
    dvds: list[str] = Field(default_factory=list)
    incidents: list[HistoryIncident] = Field(default_factory=list)
    narrative: list[str] = Field(default_factory=list)  # one readable line each, newest first
    person_ids: list[str] = Field(default_factory=list)  # this record and those linked to it
    linked_records: list[str] = Field(default_factory=list)
    possible_links: list[LinkProposal] = Field(default_factory=list)
    marker_details: list[str] = Field(default_factory=list)  # source, date, who; ended ones too
    perpetrator: SuspectProfile | None = None  # their own side as a suspect
    suspects: list[SuspectProfile] = Field(default_factory=list)  # who was a suspect against them
