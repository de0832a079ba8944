"""Demo live calls: graded calls with briefings for PC2001, an override for the dip sample.

Called by `firstresponse.demo.seed.prepare_demo_store` on a fresh store after the
history and users are seeded (CONTRACTS.md "demo seeding").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func
from sqlmodel import Session, col, select

from firstresponse.calls.details import CallDetails, ChildDetails
from firstresponse.calls.facts import facts_from_history
from firstresponse.calls.grading import Override, grade_call
from firstresponse.calls.intake import open_call
from firstresponse.checklist import load_checklist
from firstresponse.config import Settings
from firstresponse.demo.users import DEMO_PIN
from firstresponse.lookup import person_history
from firstresponse.records import Incident, User, utcnow
from firstresponse.sync.attest import acting_as

BASE: dict[str, Any] = {
    "caller_role": "victim",
    "caller_can_talk": "yes",
    "happening_now": "no",
    "suspect_present": "no",
    "suspect_whereabouts": "Left in a car about an hour ago",
    "children_present": "no",
    "injuries": "no",
    "weapons": "no",
    "strangulation": "no",
    "threats_to_kill": "no",
    "suspect_workforce": "no",
    "honour_abuse": "no",
    "vulnerabilities": ["none_known"],
    "threat": "Threats by text message to come back tonight",
    "harm": "Frightened; previous assaults by the same partner",
    "risk": "Escalating: third call this year",
    "investigation": "Messages on the caller's phone; neighbour witness",
    "vulnerability": "Caller lives alone",
    "engagement": "Caller wants officers to attend",
    "safety_advice_given": "yes",
}


def _history(db: Session, person_id: str) -> dict[str, Any] | None:
    found = person_history(db, person_id)
    return to_jsonable_python(found, fallback=str) if found is not None else None


def _repeat_victim(db: Session) -> str | None:
    """The historic victim with the most incidents, for a repeat-victim call."""
    query = (
        select(Incident.victim_id, func.count())
        .where(Incident.status == "historic", col(Incident.restricted).is_(False))
        .group_by(Incident.victim_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    row = db.exec(query).first()
    return row[0] if row else None


def seed(db: Session, settings: Settings) -> list[str]:
    """Create the demo's live calls; returns their references (none if CH1001 is missing).

    Everything they queue for the hub is CH1001's, as if made on CH1001's terminal."""
    handler = db.exec(select(User).where(User.collar == "CH1001")).first()
    if handler is None:
        return []
    with acting_as(db, handler.collar):
        return _calls(db, settings, handler)


def _calls(db: Session, settings: Settings, handler: User) -> list[str]:
    thrive = load_checklist(settings.checklists_dir / "thrive.toml")
    now = utcnow()
    refs = []

    victim_id = _repeat_victim(db)
    history = _history(db, victim_id) if victim_id else None
    first = open_call(
        db,
        handler,
        CallDetails(
            caller_name="victim",
            relationship="ex_partner",
            happening_now="Ex-partner kicking the front door, threatening to kill her",
            suspect_present="yes",
            weapons="unknown",
            children=[ChildDetails("Demo Child A", 7), ChildDetails("Demo Child B", 4)],
            victim_forename="Demo",
            victim_surname="Caller",
            address="12 Example Terrace, Testtown",
            postcode="TT3 4CD",
        ),
        victim_id=victim_id,
        force_code=settings.force_code,
        now=now - timedelta(minutes=40),
    )
    answers = {
        **BASE,
        "happening_now": "yes",
        "suspect_present": "yes",
        "children_present": "yes",
        "children_details": "Two children upstairs, 7 and 4",
        "threats_to_kill": "yes",
        "weapons": "unknown",
        "grade": "immediate",
        "grade.reason": "Suspect at the door now, threats to kill, children in the house",
    }
    answers.pop("suspect_whereabouts")
    grade_call(
        db,
        handler,
        first.id,
        thrive,
        answers,
        facts_from_history(history),
        history=history,
        assignee="PC2001",
    )
    refs.append(first.reference)

    second = open_call(
        db,
        handler,
        CallDetails(
            caller_name="neighbour",
            relationship="partner",
            happening_now="Shouting and a crash heard next door, now quiet",
            victim_forename="Sample",
            victim_surname="Resident",
            phone="07700 900456",
            address="4 Fictional Row, Testtown",
            postcode="TT5 6EF",
        ),
        force_code=settings.force_code,
        now=now - timedelta(minutes=20),
    )
    grade_call(
        db,
        handler,
        second.id,
        thrive,
        {
            **BASE,
            "caller_role": "third_party",
            "injuries": "yes",
            "medical_help": "no",
            "grade": "priority",
            "grade.reason": "Injury reported by a neighbour; suspect has left",
        },
        facts_from_history(None),
        assignee="PC2001",
    )
    refs.append(second.reference)

    third = open_call(
        db,
        handler,
        CallDetails(
            caller_name="victim",
            relationship="ex_partner",
            happening_now="Abusive messages overnight; she is at her sister's",
            victim_forename="Example",
            victim_surname="Messager",
            postcode="TT7 8GH",
        ),
        force_code=settings.force_code,
        now=now - timedelta(minutes=5),
    )
    supervisor = db.exec(select(User).where(User.collar == "SG3001")).first()
    if supervisor is not None:
        grade_call(
            db,
            handler,
            third.id,
            thrive,
            {
                **BASE,
                "vulnerabilities": ["isolated"],
                "vulnerability": "Caller has no family nearby apart from her sister",
                "engagement": "Caller asked for an appointment tomorrow morning",
                "grade": "scheduled",
                "grade.reason": "Caller safe at her sister's; asked for a morning visit",
                "appointment_at": (now + timedelta(hours=14)).strftime("%Y-%m-%d %H:%M"),
                "safe_until_appointment": "yes",
            },
            facts_from_history(None),
            override=Override("SG3001", DEMO_PIN, "Victim away from the address until morning"),
            assignee="Bravo",
        )
    refs.append(third.reference)
    return refs
