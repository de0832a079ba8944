"""Demo data for the responder screens (called by `demo.seed.prepare_demo_store`).

PC2001 has a checklist in progress on an assignment; PC2002 has submitted a first
response with two children (one not seen) and a no-arrest decision, plus a risk
checklist, and has an earlier attendance whose DVPN goes to court tomorrow and whose bail
conditions end this week (for the hearings and bail outcomes, w). All names and
addresses are synthetic.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.attendance.drafts import FIRST_RESPONSE, RISK, open_draft
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.orders import order_id
from firstresponse.attendance.submit import submit_in
from firstresponse.checklist import Checklist, evaluate, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import child_entry, first_response_answers, risk_answers
from firstresponse.records import Assignment, Incident, OrderKind, Person, ProtectiveOrder, utcnow
from firstresponse.store.outbox import PRIORITY_HIGH_RISK, enqueue_record
from firstresponse.sync.attest import acting_as


def _briefing(
    reference: str, grade: str, summary: str, sections: list[tuple[str, list[str]]]
) -> dict[str, Any]:
    return {
        "summary": summary,
        "sections": [{"title": t, "lines": lines} for t, lines in sections],
        "generated_at": utcnow().isoformat(),
        "incident_reference": reference,
        "grade": grade,
        "restricted": False,
    }


def _assignment(db: Session, collar: str, forename: str, surname: str, address: str) -> str:
    """The officer's newest assignment from the calls demo, or a new one made here, queued
    for the hub as CH1001's (the call handler who took the call)."""
    found = db.exec(
        select(Assignment)
        .where(Assignment.assignee == collar)
        .order_by(col(Assignment.created_at).desc())
    ).first()
    if found is not None:
        return found.incident_id
    with acting_as(db, "CH1001"):
        return _call(db, collar, forename, surname, address)


def _call(db: Session, collar: str, forename: str, surname: str, address: str) -> str:
    victim = Person(forename=forename, surname=surname, address=address, postcode="ZZ1 1ZZ")
    enqueue_record(db, victim)
    db.flush()
    reference = f"DEMO-{collar}-{utcnow():%H%M%S}"
    incident = Incident(
        reference=reference,
        occurred_at=utcnow() - timedelta(minutes=40),
        victim_id=victim.id,
        relationship="partner",
        address=address,
        postcode="ZZ1 1ZZ",
        summary="Neighbour reports shouting and a child crying",
        status="graded",
        grade="immediate",
        source="call",
        created_by="CH1001",
    )
    enqueue_record(db, incident, priority=PRIORITY_HIGH_RISK)
    db.flush()
    enqueue_record(
        db,
        Assignment(
            incident_id=incident.id,
            assignee=collar,
            grade="immediate",
            briefing=_briefing(
                reference,
                "immediate",
                f"Immediate: {forename} {surname}, {address}: threats, children in house",
                [
                    ("Risks", ["Caller heard threats to kill", "Suspect may have a knife"]),
                    ("Children", ["Two children believed at the address (ages 3 and 7)"]),
                    ("History", ["2 domestic incidents in the last 12 months"]),
                    ("Orders", ["None known"]),
                ],
            ),
        ),
        priority=PRIORITY_HIGH_RISK,
    )
    db.flush()
    return incident.id


def _save(db: Session, draft_id: str, cl: Checklist, answers: dict[str, Any], facts: Any) -> None:
    from firstresponse.records import Assessment

    draft = db.get(Assessment, draft_id)
    assert draft is not None
    draft.answers = answers
    draft.result = evaluate(cl, answers, facts).as_dict()
    db.add(draft)
    db.flush()


def seed(db: Session, settings: Settings) -> None:
    """A draft in progress for PC2001 and a submitted attendance by PC2002."""
    cls = load_checklists(settings.checklists_dir)
    fr = cls[FIRST_RESPONSE]

    incident_id = _assignment(db, "PC2001", "Morgan", "Exampleton", "14 Fictional Close")
    facts = facts_for(db, incident_id)
    draft = open_draft(db, incident_id, fr, "PC2001", facts)
    _save(
        db,
        draft.id,
        fr,
        {"arrived_at": "2026-01-10 21:40", "scene_safe": "yes", "bwv_on": "no"},
        facts,
    )

    incident_id = _assignment(db, "PC2002", "Casey", "Sampleford", "3 Imaginary Road")
    with acting_as(db, "PC2002"):  # queued as PC2002's, as if submitted on PC2002's laptop
        _attended(db, incident_id, cls)
        _court_orders(db)


def _court_orders(db: Session) -> None:
    """PC2002's attendance two days ago: a DVPN heard tomorrow and bail to Friday week,
    against the suspect identified at the scene, as the submission records them."""
    victim = Person(forename="Dana", surname="Specimen", address="8 Pretend Lane",
                    postcode="ZZ1 2ZZ")  # fmt: skip
    suspect = Person(forename="Lee", surname="Specimen", address="8 Pretend Lane",
                     postcode="ZZ1 2ZZ")  # fmt: skip
    for person in (victim, suspect):
        enqueue_record(db, person)
    db.flush()
    when = utcnow() - timedelta(days=2)
    incident = Incident(
        reference=f"DEMO-ORDERS-{when:%m%d}", occurred_at=when, victim_id=victim.id,
        suspect_id=suspect.id, relationship="ex_partner", address="8 Pretend Lane",
        postcode="ZZ1 2ZZ", summary="Ex-partner forced his way in; pushed her down the stairs",
        status="attended", grade="immediate", source="call", created_by="PC2002",
    )  # fmt: skip
    enqueue_record(db, incident)
    db.flush()
    today = utcnow().date()
    for kind, detail, ends in (
        (OrderKind.DVPN, "No contact; not within 100 metres of 8 Pretend Lane",
         today + timedelta(days=1)),
        (OrderKind.BAIL_CONDITIONS, "Not to contact Dana Specimen; live at his mother's",
         today + timedelta(days=5)),
    ):  # fmt: skip
        enqueue_record(
            db,
            ProtectiveOrder(
                id=order_id(incident.id, kind.value), kind=kind.value, subject_id=suspect.id,
                protected_id=victim.id, incident_id=incident.id, detail=detail,
                starts_on=when.date(), ends_on=ends,
            ),
        )  # fmt: skip


def _attended(db: Session, incident_id: str, cls: dict[str, Checklist]) -> None:
    """PC2002's first response (two children, one not seen; no arrest) and risk checklist."""
    fr, risk = cls[FIRST_RESPONSE], cls[RISK]
    facts = facts_for(db, incident_id)
    answers = first_response_answers(
        grounds_for_arrest="yes",
        offences_disclosed=["assault", "threats_to_kill"],
        offences="Pushed into the door frame; said he would kill her if she called the police",
        threats_detail="'I'll kill you if you ring them' as he left; she believes he means it",
        arrested="no",
        no_arrest_basis=["not_found"],
        suspect_outcome="not_arrested",
        notice_scheme="dvpn",
        notice_test_violence="yes",
        notice_test_necessary="yes",
        notice_test_age="yes",
        notice_decision="not_applied",
        children_present="yes",
        children=[
            child_entry("Robin Sampleford", 7, at_school="yes", school="Hillside Primary"),
            child_entry("Kit Sampleford", 3, seen="no", spoken_to="no"),
        ],
    )
    answers["arrested.reason"] = "Suspect left before arrival; circulated as wanted"
    answers["suspect_status"] = "left"
    answers["suspect_search"] = "Area search; circulated on the briefing system"
    answers["notice_decision.reason"] = "Suspect not yet found: notice to be sought on arrest"
    kit = answers["children"][1]
    kit["seen.reason"] = "Asleep at grandparent's address; children's services visit tomorrow"
    kit["spoken_to.reason"] = "Not present"
    answers["_referrals"] = {
        "childrens_services": {"accepted": True, "reason": ""},
        "school_notification": {"accepted": True, "reason": ""},
    }
    draft = open_draft(db, incident_id, fr, "PC2002", facts)
    _save(db, draft.id, fr, answers, facts)
    risk_draft = open_draft(db, incident_id, risk, "PC2002", facts)
    ranswers = risk_answers(
        risk,
        yes=("very_frightened", "controlling", "threats_to_kill"),
        children_in_household="yes",
        children_at_school="yes",
        officer_level="high",
        childrens_services_referral="yes",
        marac_referral="yes",
        idva_referral="yes",
    )
    ranswers["serious_harm_judgement"] = "Threat to kill tonight and he is at large: high"
    ranswers["now_detail"] = "Shaking, says she is scared he will come back tonight"
    ranswers["pattern_detail"] = "Checks her phone, stops her seeing her sister"
    ranswers["serious_detail"] = "Said he would kill her if she called the police"
    ranswers["_referrals"] = {"school_notification": {"accepted": True, "reason": ""}}
    _save(db, risk_draft.id, risk, ranswers, facts)
    submit_in(db, incident_id, "PC2002", cls, facts)
