"""Demo seed for supervision: four weeks of attended calls, a drawn dip sample, and one
completed review whose feedback is waiting for PC2002 at next sign-in.

Each officer's part is queued for the hub as theirs (the call handler's call, the
responder's checklists and decisions, the supervisor's review), as if made on their own
terminals. Called once on a fresh demo store by
`firstresponse.demo.seed.prepare_demo_store`. Every name and address is invented.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from firstresponse.calls.grading import DECISION_KINDS
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.cases import assessment, assignment, decision, incident, person
from firstresponse.records import Assessment, Decision, Incident, Person, utcnow
from firstresponse.store.outbox import enqueue_record
from firstresponse.supervision import draw, record_review
from firstresponse.sync.attest import acting_as

REVIEWER = "SG3001"
CALL_HANDLER = "CH1001"
#: (days ago, officer, grade, risk level, bwv, grounds, arrested, children seen, minutes, repeat)
CASES: list[tuple[int, str, str, str, str, str, str, list[str], int, bool]] = [
    (26, "PC2001", "immediate", "high", "yes", "yes", "yes", ["yes"], 9, True),
    (24, "PC2002", "priority", "medium", "no", "yes", "no", [], 35, False),
    (20, "PC2001", "priority", "standard", "yes", "no", "", ["yes", "no"], 22, False),
    (17, "PC2002", "scheduled", "standard", "yes", "no", "", [], 240, True),
    (15, "PC2001", "immediate", "medium", "yes", "yes", "yes", [], 12, True),
    (12, "PC2002", "priority", "medium", "yes", "yes", "no", ["yes"], 28, False),
    (10, "PC2001", "priority", "standard", "no", "no", "", [], 31, False),
    (8, "PC2002", "immediate", "high", "yes", "yes", "yes", ["yes", "yes"], 7, True),
    (5, "PC2001", "priority", "medium", "yes", "yes", "yes", [], 18, False),
    (3, "PC2002", "priority", "standard", "yes", "no", "", ["no"], 25, False),
    (2, "PC2001", "immediate", "medium", "yes", "yes", "no", [], 11, True),
]
FORENAMES = ["Ava", "Bea", "Cara", "Dee", "Eve", "Fay", "Gail", "Hope", "Isla", "Jan", "Kit"]
#: Each victim's self-defined ethnicity (18+1 code; NS not stated, "" not recorded).
ETHNICITIES = ["W1", "A2", "W1", "NS", "B2", "W1", "", "M1", "W9", "W1", ""]


def _first_response(spec: tuple[Any, ...], arrived: str) -> dict[str, Any]:
    _, _, _, _, bwv, grounds, arrested, seen, _, _ = spec
    answers: dict[str, Any] = {
        "arrived_at": arrived,
        "scene_safe": "yes",
        "parties_separated": "yes",
        "bwv_on": bwv,
        "victim_present": "yes",
        "children_present": "yes" if seen else "no",
        "children": [
            {"name": f"Child {n + 1}", "age": 6 + n, "seen": s, "spoken_to": s}
            for n, s in enumerate(seen)
        ],
        "grounds_for_arrest": grounds,
        "suspect_workforce": "no",
    }
    if bwv != "yes":
        answers["bwv_on.reason"] = "Camera battery flat on arrival"
    for entry in answers["children"]:
        if entry["seen"] != "yes":
            entry["seen.reason"] = "Asleep at grandparent's; visit booked for tomorrow"
            entry["spoken_to.reason"] = "Not seen yet"
    if grounds == "yes":
        answers["offences"] = "Assault by beating"
        answers["arrested"] = arrested
        if arrested == "no":
            answers["arrested.reason"] = "Suspect had left before officers arrived"
    return answers


def _risk(checklist: Checklist | None, level: str, text: bool, children: bool) -> dict[str, Any]:
    """Complete risk answers: every yes/no "no" unless set, referrals made but one."""
    answers: dict[str, Any] = {
        item.id: "no" for item in (checklist.items if checklist else ()) if item.type == "yesno"
    }
    answers.update(
        {
            "participation": "full",
            "children_in_household": "yes" if children else "no",
            "threats_to_kill": "yes" if level != "standard" else "no",
            "serious_detail": "He said he would kill her if she left." if text else "Yes.",
            "officer_view": "Victim frightened; contact increasing." if text else "As above.",
            "officer_level": level,
            "officer_level.reason": "Officer's judgement after speaking with the victim",
            "marac_referral": "yes",
            "idva_referral": "yes" if text else "no",
            "idva_referral.reason": "" if text else "Victim declined an adviser today",
            "childrens_services_referral": "yes",
            "dvpn_considered": "yes",
            "dvpn_outcome": "Not suitable: suspect in custody",
        }
    )
    return answers


def _queue(db: Session, *records: Any) -> None:
    for record in records:
        enqueue_record(db, record)


def _case(db: Session, n: int, spec: tuple[Any, ...], checklists: dict[str, Checklist]) -> Incident:
    days, officer, grade, level, _, grounds, arrested, seen, minutes, repeat = spec
    at = (utcnow() - timedelta(days=days)).replace(hour=9 + n % 8, minute=0, second=0)
    with acting_as(db, CALL_HANDLER):
        victim: Person = person(
            db, FORENAMES[n], "Demoline", postcode="ZZ9 9ZZ", ethnicity=ETHNICITIES[n]
        )
        _queue(db, victim)
        if repeat:
            earlier = incident(
                db, f"SUP-H{n:03d}", at - timedelta(days=60), victim, status="historic"
            )
            _queue(db, earlier)
        inc = incident(
            db, f"SUP-{n + 1:04d}", at, victim, grade=grade, risk_level=level,
            crime_recorded=grounds == "yes",
            arrest_made=(arrested == "yes") if arrested else None,
            created_by=CALL_HANDLER, address=f"{n + 1} Example Street",
        )  # fmt: skip
        _queue(db, inc)
        facts = {"repeat_victim": repeat, "incidents_12m": 1 if repeat else 0}
        thrive = {"grade": grade, "grade.reason": "Risk and caller's wishes considered"}
        if grade == "scheduled" and repeat:
            thrive["floor_override_reason"] = "Caller safe at work; suspect abroad until Friday"
            thrive["floor_override_supervisor"] = REVIEWER
        call = assessment(
            db, inc, "thrive", thrive, CALL_HANDLER, checklist=checklists.get("thrive"),
            facts=facts,
        )  # fmt: skip
        brief = {
            "summary": f"{grade.title()}: {FORENAMES[n]} Demoline, {n + 1} Example Street",
            "sections": [
                {"title": "History", "lines": ["Repeat victim" if repeat else "No history"]}
            ],
            "incident_reference": inc.reference,
            "grade": grade,
            "restricted": False,
        }
        _queue(db, call)
        _queue(db, assignment(db, inc, officer, brief))
        _queue(db, *_decisions(db, inc, call))
    arrived = (at + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")
    with acting_as(db, officer):
        attendance = assessment(
            db, inc, "first_response", _first_response(spec, arrived), officer,
            checklist=checklists.get("first_response"), minutes_after=minutes + 40,
        )  # fmt: skip
        risk = assessment(
            db, inc, "risk", _risk(checklists.get("risk"), level, n % 4 != 1, bool(seen)),
            officer, checklist=checklists.get("risk"), facts=facts, minutes_after=minutes + 60,
        )  # fmt: skip
        _queue(db, attendance, risk)
        for found in (attendance, risk):
            _queue(db, *_decisions(db, inc, found))
    return inc


def _decisions(db: Session, inc: Incident, found: Assessment) -> list[Decision]:
    """A Decision row for each protective-reducing choice the checklist recorded."""
    made = []
    for needed in found.result.get("decisions") or []:
        kind = DECISION_KINDS.get(needed["kind"], needed["kind"])
        made.append(decision(db, inc, kind, needed["reason"], found.author))
    return made


def seed(db: Session, settings: Settings) -> None:
    """Cases for the dashboard, a dip sample for the queue, and feedback for PC2002."""
    checklists = load_checklists(settings.checklists_dir)
    incidents = [_case(db, n, spec, checklists) for n, spec in enumerate(CASES)]
    db.flush()
    now = utcnow()
    sample = draw(db, now - timedelta(days=28), now, rate=0.5, seed=2026, created_by=REVIEWER)
    reviewed = incidents[1]  # PC2002, grounds to arrest but no arrest, BWV not on
    answers: dict[str, Any] = {
        point: "met"
        for point in (
            "victim_identified", "recorded_correctly", "grade_justified", "risk_quality",
            "referrals_made", "arrest_justified", "children_safeguarded",
            "victim_wishes_followed", "nfa_justified", "disposal_justified",
        )
    }  # fmt: skip
    answers.update(
        {
            "initial_investigation": "not_met",
            "initial_investigation.reason": "Body-worn video was not recording on arrival",
            "outcome": "action_required",
            "feedback": "Good account taken and reasons recorded for no arrest. Check your "
            "camera before every shift: the first minutes at the door are the best evidence.",
            "action_by": (now + timedelta(days=7)).strftime("%Y-%m-%d"),
        }
    )
    with acting_as(db, REVIEWER):
        record_review(
            db, checklists["dip_sample_review"], REVIEWER, reviewed.id, "PC2002", answers,
            sample_id=sample.id,
        )  # fmt: skip
