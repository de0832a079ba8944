"""The incident's suspect as it stands on this terminal, for the officer's suspect step
(`calls.scene_suspect` sets it): the person named, or why nobody could be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from firstresponse.calls.scene_suspect import NOT_IDENTIFIED, SuspectRefused
from firstresponse.records import Decision, Incident, Person, ProtectiveOrder
from firstresponse.store import Store


@dataclass(frozen=True)
class SceneSuspect:
    """Who the incident names as its suspect now, for the officer's screen: the person (the
    call handler's, until the officer changes it) or why nobody could be named."""

    reference: str
    victim_name: str
    suspect_id: str | None = None
    name: str = ""
    dob: date | None = None
    address: str = ""
    not_identified: str = ""  # the reason recorded, if the suspect was not identified
    orders: tuple[str, ...] = ()  # the kinds of order recorded at the incident

    def line(self) -> str:
        """One line: who, or why nobody, or that nobody is named yet."""
        if self.suspect_id:
            facts = [self.dob.isoformat() if self.dob else "DOB not known"]
            facts += [self.address] if self.address else []
            return f"{self.name} · " + " · ".join(facts)
        if self.not_identified:
            return f"NOT IDENTIFIED: {self.not_identified}"
        return "none named yet"


def scene_suspect(store: Store, incident_id: str) -> SceneSuspect:
    """The incident's suspect as it stands on this terminal."""
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        if incident is None:
            raise SuspectRefused("no such incident on this terminal")
        victim = db.get(Person, incident.victim_id)
        suspect = db.get(Person, incident.suspect_id) if incident.suspect_id else None
        reasons = db.exec(
            select(Decision.reason)
            .where(Decision.incident_id == incident_id, Decision.kind == NOT_IDENTIFIED)
            .order_by(col(Decision.made_at).desc())
        ).first()
        orders = db.exec(
            select(ProtectiveOrder.kind).where(ProtectiveOrder.incident_id == incident_id)
        ).all()
        where = ", ".join(p for p in (suspect.address, suspect.postcode) if p) if suspect else ""
        return SceneSuspect(
            reference=incident.reference,
            victim_name=victim.full_name if victim else "",
            suspect_id=suspect.id if suspect else None,
            name=suspect.full_name if suspect else "",
            dob=suspect.dob if suspect else None,
            address=where,
            not_identified="" if suspect else (reasons or ""),
            orders=tuple(sorted(set(orders))),
        )
