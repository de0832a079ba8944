"""Open a live call: the person at risk (new or looked up), the Incident and each child."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from firstresponse.calls.details import CallDetails
from firstresponse.lookup import index_person
from firstresponse.records import Child, Incident, Person, User, new_id, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store.outbox import PRIORITY_CHILD, PRIORITY_NORMAL, enqueue_record
from firstresponse.vocab import ethnicity_code

LIVE = "call"


def reference_for(force_code: str, when: datetime, incident_id: str) -> str:
    """A readable, unique reference: force, date, and the start of the record id."""
    return f"{force_code}-{when:%Y%m%d}-{incident_id[:6].upper()}"


def _new_person(db: Session, forename: str, surname: str, details: CallDetails | None) -> Person:
    person = Person(forename=forename, surname=surname)
    if details is not None:
        person.dob = details.victim_dob
        person.ethnicity = ethnicity_code(details.victim_ethnicity)
        person.phone = details.phone
        person.address = details.address
        person.postcode = details.postcode
    enqueue_record(db, person, priority=PRIORITY_NORMAL)
    db.flush()
    index_person(db, person.id)  # found by the next search in this transaction
    return person


def open_call(
    db: Session,
    user: User,
    details: CallDetails,
    *,
    victim_id: str | None = None,
    suspect_id: str | None = None,
    force_code: str = "WM",
    now: datetime | None = None,
) -> Incident:
    """Create the Incident (status "open") for a live call, in the caller's transaction.

    `victim_id` / `suspect_id` are people chosen from the lookup, held in this store
    (`calls.people.hold_people`); a chosen person who is not held is a ValueError, never a
    new person in their place. Nobody chosen: a Person is created from the details (an
    ethnicity that is not an 18+1 code is a ValueError, before anything is written). Each
    child is its own Child row, under the person chosen for them when one was (held here
    like the victim and suspect).
    """
    require(user, Action.TAKE_CALL)
    now = now or utcnow()
    chosen_people = [("victim", victim_id), ("suspect", suspect_id)]
    chosen_people += [(f"child {c.name}", c.person_id) for c in details.children]
    for role, chosen in chosen_people:
        if chosen and db.get(Person, chosen) is None:
            raise ValueError(f"the {role} chosen ({chosen}) is not held on this terminal")
    victim = db.get(Person, victim_id) if victim_id else None
    looked_up = victim is not None
    if victim is None:
        victim = _new_person(db, details.victim_forename, details.victim_surname, details)
    if suspect_id is None and details.suspect_name:
        suspect_id = _new_person(db, details.suspect_forename, details.suspect_surname, None).id
    incident_id = new_id()
    incident = Incident(
        id=incident_id,
        reference=reference_for(force_code, now, incident_id),
        occurred_at=now,
        victim_id=victim.id,
        suspect_id=suspect_id,
        relationship=details.relationship,
        address=details.address or victim.address,
        postcode=details.postcode or victim.postcode,
        summary=details.happening_now,
        status="open",
        source=LIVE,
        created_by=user.collar,
    )
    priority = PRIORITY_CHILD if details.children else PRIORITY_NORMAL
    enqueue_record(db, incident, priority=priority)
    db.flush()
    for child in details.children:
        enqueue_record(
            db,
            Child(
                incident_id=incident.id,
                person_id=child.person_id,
                name=child.name,
                age=child.age,
                dob=child.dob,
            ),
            priority=PRIORITY_CHILD,
        )
    audit.record(
        db,
        user.collar,
        "open_call",
        "incident",
        incident.id,
        reference=incident.reference,
        victim_id=victim.id,
        looked_up=looked_up,
        caller=details.caller_name,
        suspect_present=details.suspect_present,
        weapons=details.weapons,
        children=len(details.children),
    )
    return incident


SHIFT = timedelta(hours=12)


def shift_calls(db: Session, now: datetime | None = None) -> list[Incident]:
    """Live calls taken in the last 12 hours (one control-room shift), newest first.

    A shift that crosses midnight keeps its calls: a list of "today's" calls would empty
    itself at 00:00 in the middle of a night shift.
    """
    now = now or utcnow()
    query = (
        select(Incident)
        .where(Incident.source == LIVE)
        .where(col(Incident.occurred_at) >= now - SHIFT)
        .order_by(col(Incident.occurred_at).desc())
    )
    return list(db.exec(query))
