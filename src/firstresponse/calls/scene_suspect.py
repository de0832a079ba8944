"""The suspect identified at the scene: searched for with the call handler's own lookup,
set on the incident (an existing person or a new one), or "not identified" with a reason.

The search is `calls.sources`' `LookupSource`: the hub when it answers, this terminal's copy
otherwise (`FallbackLookup`). A person chosen from the matches is held here under their own
id (`calls.people.hold_people`, the hub's copy with their history) before the incident
names them. The call handler's suspect carries through: the officer confirms it by doing
nothing, or corrects it by choosing another. "Not identified" is a `suspect_not_identified`
decision with its reason, so a supervisor sees it; it is refused where the incident names a
suspect (correct the suspect instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from firstresponse.calls.people import hold_people
from firstresponse.calls.sources import Candidate, LookupSource, Search
from firstresponse.lookup import index_person
from firstresponse.records import Decision, Incident, Person, User
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store import Store
from firstresponse.store.outbox import enqueue_record

MIN_REASON = 10
NOT_IDENTIFIED = "suspect_not_identified"


class SuspectRefused(ValueError):
    """The suspect cannot be set as given; the message says why."""


@dataclass(frozen=True)
class NewSuspect:
    """A suspect nobody holds a record of, as the officer found them."""

    forename: str
    surname: str
    dob: date | None = None
    address: str = ""
    postcode: str = ""


def search_suspect(
    source: LookupSource,
    name: str = "",
    dob: str = "",
    address: str = "",
    postcode: str = "",
    limit: int = 10,
) -> list[Candidate]:
    """People who may be the suspect, best first (nothing searched on blank boxes)."""
    query = Search(name=name, dob=dob, address=address, postcode=postcode)
    return [] if query.empty else source.search(query, limit)


def _incident(store: Store, incident_id: str) -> Incident:
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        if incident is None:
            raise SuspectRefused("no such incident on this terminal")
        db.expunge(incident)
        return incident


def set_suspect(
    store: Store,
    user: User,
    incident_id: str,
    *,
    chosen: Candidate | None = None,
    source: LookupSource | None = None,
    new: NewSuspect | None = None,
) -> Person:
    """Name the incident's suspect: a person chosen from `search_suspect` (held here first,
    from `source`) or a new person. The victim can never be the suspect."""
    require(user, Action.ATTEND)
    if (chosen is None) == (new is None):
        raise SuspectRefused("choose a person from the matches or give a new person's name")
    incident = _incident(store, incident_id)
    if chosen is not None:
        if chosen.person_id == incident.victim_id:
            raise SuspectRefused("the person at risk cannot be the suspect")
        if source is not None:
            hold_people(store, source, [chosen])
    elif new is not None and not (new.forename.strip() and new.surname.strip()):
        raise SuspectRefused("give the suspect's forename and surname")
    with store.session() as db:
        if chosen is not None:
            person = db.get(Person, chosen.person_id)
            if person is None:
                raise SuspectRefused(f"{chosen.name} is not held on this terminal: search again")
        else:
            assert new is not None
            person = Person(
                forename=new.forename.strip(),
                surname=new.surname.strip(),
                dob=new.dob,
                address=new.address.strip(),
                postcode=new.postcode.strip(),
            )
            enqueue_record(db, person)
            db.flush()
            index_person(db, person.id)
        row = db.get(Incident, incident_id)
        assert row is not None
        before = row.suspect_id
        row.suspect_id = person.id
        enqueue_record(db, row)
        audit.record(db, user.collar, "suspect.identified", "incident", incident_id,
                     suspect_id=person.id, replaced=before or "")  # fmt: skip
        db.flush()
        db.expunge(person)
        return person


def suspect_not_identified(store: Store, user: User, incident_id: str, reason: str) -> Decision:
    """Record that nobody could be named as the suspect, and why: a decision a supervisor
    sees. Refused where the incident names a suspect."""
    require(user, Action.ATTEND)
    incident = _incident(store, incident_id)
    if incident.suspect_id:
        raise SuspectRefused("the incident names a suspect: correct it rather than remove it")
    if len(reason.strip()) < MIN_REASON:
        raise SuspectRefused(
            f"say why the suspect is not identified (at least {MIN_REASON} characters)"
        )
    with store.session() as db:
        decision = Decision(
            incident_id=incident_id, kind=NOT_IDENTIFIED, reason=reason.strip(), made_by=user.collar
        )
        enqueue_record(db, decision)
        audit.record(db, user.collar, "suspect.not_identified", "incident", incident_id)
        db.flush()
        db.expunge(decision)
        return decision
