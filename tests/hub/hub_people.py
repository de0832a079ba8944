"""A couple the hub's history holds (synthetic): a victim protected by a restraining order
against her ex-partner, assessed high risk two months ago; him wanted on a warrant, with a
violence marker. Shared by the hub and the functional tests of the call handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from firstresponse.lookup import rebuild_index
from firstresponse.records import Incident, Person, PersonMarker, ProtectiveOrder, Warrant

VICTIM = ("Wrenna", "Quillfeather", date(1991, 6, 14))
SUSPECT = ("Corvin", "Ashdowne", date(1988, 2, 3))
ORDER_DETAIL = "No contact with Wrenna Quillfeather; not to enter Larch Close"
WARRANT_OFFENCE = "Assault occasioning actual bodily harm"


@dataclass(frozen=True)
class Couple:
    victim_id: str
    suspect_id: str
    incident_id: str
    order_id: str
    warrant_id: str


def seed_couple(db: Session, today: date | None = None) -> Couple:
    """Write the couple's history straight into a database (the hub's) and index it."""
    today = today or datetime.now(UTC).date()
    victim = Person(
        forename=VICTIM[0], surname=VICTIM[1], dob=VICTIM[2], postcode="TT9 4LC",
        address="7 Larch Close, Testbury",
    )  # fmt: skip
    suspect = Person(forename=SUSPECT[0], surname=SUSPECT[1], dob=SUSPECT[2])
    db.add_all([victim, suspect])
    db.flush()
    earlier = Incident(
        reference="WM-HIST-0001",
        occurred_at=datetime.combine(today - timedelta(days=60), datetime.min.time(), UTC),
        victim_id=victim.id,
        suspect_id=suspect.id,
        relationship="ex_partner",
        summary="Pushed down the stairs after an argument",
        risk_level="high",
        grade="immediate",
        status="closed",
        source="import",
    )
    db.add(earlier)
    db.flush()
    order = ProtectiveOrder(
        kind="restraining_order",
        subject_id=suspect.id,
        protected_id=victim.id,
        incident_id=earlier.id,
        detail=ORDER_DETAIL,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=335),
    )
    warrant = Warrant(
        person_id=suspect.id,
        kind="arrest",
        offence=WARRANT_OFFENCE,
        issued_on=today - timedelta(days=10),
        issued_by="Testbury Magistrates",
    )
    marker = PersonMarker(person_id=suspect.id, marker="violence", source="import")
    db.add_all([order, warrant, marker])
    db.flush()
    rebuild_index(db)
    return Couple(victim.id, suspect.id, earlier.id, order.id, warrant.id)
