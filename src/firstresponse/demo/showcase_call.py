"""A live demo call for the showcase's Liz Marsh: her ex-partner Darren Kettley at the door.

Graded and assigned to PC2001, so the responder's briefing shows the suspect's side
(restraining order, arrest warrant, violence marker, two victims: serial perpetrator)
and Liz's first incident, held on her older linked record "Lizzie Thornbury".
Runs as an area seeder after `demo.live_calls`.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic_core import to_jsonable_python
from sqlmodel import Session, select

from firstresponse.calls.details import CallDetails
from firstresponse.calls.facts import facts_from_history
from firstresponse.calls.grading import grade_call
from firstresponse.calls.intake import open_call
from firstresponse.checklist import load_checklist
from firstresponse.config import Settings
from firstresponse.demo.live_calls import BASE
from firstresponse.lookup import person_history
from firstresponse.records import Person, User, utcnow
from firstresponse.sync.attest import acting_as


def _person(db: Session, forename: str, surname: str) -> Person | None:
    query = select(Person).where(Person.forename == forename, Person.surname == surname)
    return db.exec(query).first()


def seed(db: Session, settings: Settings) -> list[str]:
    """Open and grade the call; returns its reference (none without the showcase or CH1001)."""
    handler = db.exec(select(User).where(User.collar == "CH1001")).first()
    liz = _person(db, "Elizabeth", "Marsh")
    darren = _person(db, "Darren", "Kettley")
    if handler is None or liz is None or darren is None:
        return []
    with acting_as(db, handler.collar):  # queued as CH1001's, as if made at CH1001's terminal
        return _call(db, settings, handler, liz, darren)


def _call(db: Session, settings: Settings, handler: User, liz: Person, darren: Person) -> list[str]:
    found = person_history(db, liz.id)
    history = to_jsonable_python(found, fallback=str) if found else None
    incident = open_call(
        db,
        handler,
        CallDetails(
            caller_name="victim",
            relationship="ex_partner",
            happening_now="Ex-partner Darren at the door shouting; she has locked herself in",
            suspect_present="yes",
            weapons="unknown",
            victim_forename=liz.forename,
            victim_surname=liz.surname,
            address=liz.address,
            postcode=liz.postcode,
        ),
        victim_id=liz.id,
        suspect_id=darren.id,
        force_code=settings.force_code,
        now=utcnow() - timedelta(minutes=2),
    )
    answers = {
        **BASE,
        "happening_now": "yes",
        "suspect_present": "yes",
        "weapons": "unknown",
        "threat": "Ex-partner under a restraining order at her door now",
        "grade": "immediate",
        "grade.reason": "Restraining order breached now; suspect wanted on warrant",
    }
    answers.pop("suspect_whereabouts")
    grade_call(
        db,
        handler,
        incident.id,
        load_checklist(settings.checklists_dir / "thrive.toml"),
        answers,
        facts_from_history(history),
        history=history,
        assignee="PC2001",
    )
    return [incident.reference]
