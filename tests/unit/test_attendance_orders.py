"""Issue 25 (the parts in the responder's workflow): orders never against the victim, and a
MARAC referral made in the risk checklist makes the next incident a repeat MARAC."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from firstresponse.attendance import FIRST_RESPONSE, RISK, submit
from firstresponse.attendance.drafts import open_draft, save_answers
from firstresponse.attendance.facts import facts_for
from firstresponse.checklist import Checklist, evaluate, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers, no_charge_answers, risk_answers
from firstresponse.records import Decision, Incident, Person, ProtectiveOrder
from firstresponse.store import Store
from tests.builders import assigned_incident

OFFICER = "PC2001"
AUTHORISED = {
    **no_charge_answers("authorised"),
    "notice_test_violence": "yes",
    "notice_test_necessary": "yes",
    "notice_authority": "SU4001 Superintendent",
    "notice_authority_rank": "superintendent",
    "notice_served_at": "2026-01-10 23:00",
    "order_hearing_at": "2026-01-12 10:00",
    "notice_terms": "No contact; not to come within 100 metres of 1 Test Row",
    "suspect_outcome": "nfa",
    "suspect_outcome.reason": "Not enough evidence yet",
    "release_victim_views": "Told by phone, content",
}


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


def _incident(store: Store, suspect: bool) -> str:
    with store.session() as db:
        found = assigned_incident(db, OFFICER, ("Risks", []))
        if suspect:
            person = Person(forename="Rex", surname="Testperson")
            db.add(person)
            db.flush()
            found.suspect_id = person.id
        return found.id


def _submit(store: Store, incident_id: str, checklists: dict[str, Checklist], **answers: dict):
    with store.session() as db:
        facts = facts_for(db, incident_id)
    for cid, given in answers.items():
        with store.session() as db:
            draft = open_draft(db, incident_id, checklists[cid], OFFICER, facts).id
        save_answers(store, draft, given, checklists[cid], facts)
    submit(store, incident_id, OFFICER, checklists, facts)


def test_no_order_is_recorded_against_the_victim(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _incident(store, suspect=False)
    first = first_response_answers(**AUTHORISED, risk_checklist_done="no")
    first["risk_checklist_done.reason"] = "Tomorrow"
    with store.session() as db:
        ev = evaluate(checklists[FIRST_RESPONSE], first, facts_for(db, incident_id))
    assert "order_subject" in {i.item for i in ev.missing_required}  # the form says why
    first["order_subject"] = "Rex Testperson, born 1 May 1988, of 3 Test Lane"
    _submit(store, incident_id, checklists, first_response=first)
    with store.session() as db:
        victim = db.get(Incident, incident_id).victim_id  # type: ignore[union-attr]
        subjects = [o.subject_id for o in db.exec(select(ProtectiveOrder))]
        decisions = [(d.kind, d.reason) for d in db.exec(select(Decision))]
    assert victim not in subjects
    assert ("order_subject_not_identified", first["order_subject"]) in decisions


def test_a_marac_referral_makes_the_next_incident_a_repeat_marac(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _incident(store, suspect=True)
    risk = risk_answers(checklists[RISK], officer_level="high", marac_referral="yes",
                        idva_referral="yes")  # fmt: skip
    risk["officer_level.reason"] = "Professional judgement: he has hunted her for a week"
    _submit(store, incident_id, checklists, first_response=first_response_answers(), risk=risk)
    with store.session() as db:
        first = db.get(Incident, incident_id)
        assert first is not None
        later = Incident(reference="T-2", occurred_at=first.occurred_at + timedelta(weeks=7),
                         victim_id=first.victim_id, suspect_id=first.suspect_id,
                         status="graded")  # fmt: skip
        db.add(later)
        db.flush()
        facts = facts_for(db, later.id)
        (marac,) = db.exec(select(ProtectiveOrder).where(ProtectiveOrder.kind == "marac")).all()
    assert marac.protected_id == first.victim_id and marac.subject_id == first.suspect_id
    assert facts["on_marac"] is True
    ev = evaluate(checklists[RISK], risk_answers(checklists[RISK]), facts)
    assert "marac_repeat" in ev.flags and "marac" in {r.id for r in ev.referrals}
