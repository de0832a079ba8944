"""Shared set-up for the call-handler tests: users, a call, complete THRIVE answers."""

from __future__ import annotations

from typing import Any

from firstresponse.calls import CallDetails, ChildDetails, open_call
from firstresponse.checklist import load_checklists
from firstresponse.config import Settings
from firstresponse.records import Incident, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store

PIN = "1234"


def lists(settings: Settings) -> dict[str, Any]:
    return load_checklists(settings.checklists_dir)


def add_users(store: Store) -> dict[str, User]:
    people = {
        "CH1001": ("Call Handler One", "call_handler", ""),
        "SG3001": ("Sergeant One", "supervisor", "Alpha"),
        "PC2001": ("Constable One", "responder", "Alpha"),
    }
    users = {}
    with store.session() as db:
        for collar, (name, role, team) in people.items():
            user = User(collar=collar, name=name, role=role, team=team, pin_hash=hash_pin(PIN))
            db.add(user)
            users[collar] = user
    return users


def details(children: bool = False) -> CallDetails:
    return CallDetails(
        victim_forename="Testa",
        victim_surname="Example",
        phone="07700 900123",
        address="1 Synthetic Road, Testtown",
        postcode="TT1 1AA",
        caller_name="Neighbour",
        relationship="partner",
        happening_now="Shouting heard, now quiet",
        suspect_forename="Sample",
        suspect_surname="Person",
        suspect_present="no",
        weapons="no",
        children=[ChildDetails("Amy", 6), ChildDetails("Ben", 3)] if children else [],
    )


def new_call(store: Store, user: User, children: bool = False) -> Incident:
    with store.session() as db:
        return open_call(db, user, details(children))


def calm_answers(grade: str, **extra: Any) -> dict[str, Any]:
    """A complete THRIVE with no risk indicator in the answers."""
    answers: dict[str, Any] = {
        "caller_role": "victim",
        "caller_can_talk": "yes",
        "happening_now": "no",
        "suspect_present": "no",
        "suspect_whereabouts": "Left on foot an hour ago",
        "children_present": "no",
        "injuries": "no",
        "weapons": "no",
        "strangulation": "no",
        "threats_to_kill": "no",
        "suspect_workforce": "no",
        "honour_abuse": "no",
        "vulnerabilities": ["none_known"],
        "threat": "Verbal threats earlier",
        "harm": "Distress",
        "risk": "Low likelihood",
        "investigation": "Messages on phone",
        "vulnerability": "Caller",
        "engagement": "Caller wants advice and a visit",
        "grade": grade,
        "grade.reason": "Rationale for the grade",
        "safety_advice_given": "yes",
    }
    if grade == "scheduled":
        answers.update(
            {
                "appointment_at": "2026-11-24 10:00",
                "safe_until_appointment": "yes",
            }
        )
    if grade == "resolved_without_deployment":
        answers["resolution"] = "Advice given; neighbourhood team to follow up"
    answers.update(extra)
    return answers


NO_FACTS: dict[str, Any] = {
    "repeat_victim": False,
    "markers": [],
    "incidents_12m": 0,
    "police_workforce_suspect": False,
    "live_orders": 0,
    "previous_risk_level": "",
    "suspect_markers": [],
    "serial_perpetrator": False,
    "suspect_wanted": False,
}
