"""Issue 26, point 7: the stalking screen and Stalking Protection Orders, adults at risk
(Care Act 2014 s.42) and the people the victim cares for or relies on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from firstresponse.attendance import FIRST_RESPONSE, RISK, submit
from firstresponse.attendance.drafts import open_draft, save_answers
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.referrals import set_referral
from firstresponse.calls.safety import record_safety_advice
from firstresponse.checklist import Checklist, evaluate, load_checklists, with_fact_entries
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers, risk_answers
from firstresponse.records import Decision, OrderKind, Person, ProtectiveOrder, Role, User
from firstresponse.store import Store
from firstresponse.supervision.cases import load_case
from firstresponse.supervision.sampling import must_check_reasons
from tests.builders import assigned_incident

OFFICER = "PC2001"
STALKED = {
    "offences_disclosed": ["stalking"],
    "course_of_conduct_times": 4,
    "course_of_conduct": "Four visits to her work in March",
    "stalking_behaviours": ["turning_up"],
    "stalking_effect": "alarm_distress",
}


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


def _screen(cl: Checklist) -> list[str]:
    return [i.id for i in cl.items if "stalking_marker" in i.tags]


def test_the_stalking_screen_is_asked_where_stalking_is_disclosed(
    checklists: dict[str, Checklist],
) -> None:
    cl = checklists[RISK]
    screen = _screen(cl)
    assert len(screen) == 11
    calm = risk_answers(cl)
    assert not set(screen) & evaluate(cl, calm).visible
    for facts, answers in (({"scene_stalking": True}, calm), ({}, {**calm, "stalking": "yes"})):
        ev = evaluate(cl, answers, facts)
        assert set(screen) <= {i.item for i in ev.missing_required}
    # five or more markers (a "not known" counts) suggest the specialist service
    marked = {**calm, "stalking": "yes", **dict.fromkeys(screen[:4], "yes"), screen[4]: "unknown"}
    ev = evaluate(cl, marked)
    assert ev.computed["stalking_marker_count"] == 5
    assert "stalking_service" in {r.id for r in ev.referrals}
    assert screen[4] in {i.item for i in ev.missing_reasons}


def test_not_seeking_a_stalking_protection_order_is_a_decision(
    checklists: dict[str, Checklist],
) -> None:
    cl = checklists[FIRST_RESPONSE]
    ev = evaluate(cl, first_response_answers(**STALKED))
    assert "stalking_protection_order" in {i.item for i in ev.missing_required}
    ev = evaluate(cl, first_response_answers(**STALKED, stalking_protection_order="not_sought"))
    assert "stalking_protection_order" in {i.item for i in ev.missing_reasons}
    assert "protective_order_not_sought" in {d.kind for d in ev.decisions}
    assert "stalking_service" in {r.id for r in ev.referrals}


@pytest.mark.parametrize(
    ("changes", "referral", "plan"),
    [
        ({"care_support_needs": "yes"}, True, False),
        ({"care_support_needs": "unknown"}, True, False),
        ({"care_and_dependants": ["relies_on_suspect_care"]}, True, True),
        ({"care_and_dependants": ["cares_for_someone"]}, False, True),
    ],
)
def test_adults_at_risk_and_dependants(
    checklists: dict[str, Checklist], changes: dict[str, Any], referral: bool, plan: bool
) -> None:
    ev = evaluate(checklists[FIRST_RESPONSE], first_response_answers(**changes))
    assert ("adult_safeguarding" in {r.id for r in ev.referrals}) is referral
    assert ("dependants_plan" in {i.item for i in ev.missing_required}) is plan


def test_neither_cannot_be_chosen_with_a_dependant(checklists: dict[str, Checklist]) -> None:
    answers = first_response_answers(care_and_dependants=["neither", "cares_for_someone"])
    ev = evaluate(checklists[FIRST_RESPONSE], answers)
    assert "care_and_dependants" in {i.item for i in ev.errors}


def test_declining_the_adult_safeguarding_referral_is_a_decision(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    with store.session() as db:
        incident_id = assigned_incident(db, OFFICER, ("Risks", [])).id
    facts_answers = first_response_answers(
        care_support_needs="yes", risk_checklist_done="no",
        **{"risk_checklist_done.reason": "Victim at hospital"},
    )  # fmt: skip
    with store.session() as db:
        facts = facts_for(db, incident_id)
        draft = open_draft(db, incident_id, cl, OFFICER, facts).id
    save_answers(store, draft, facts_answers, cl, facts)
    set_referral(store, draft, "adult_safeguarding", False, "Victim's capacity is clear; declines")
    submit(store, incident_id, OFFICER, checklists, facts)
    with store.session() as db:
        declined = [d for d in db.exec(select(Decision)) if d.kind == "referral_declined"]
    assert [d.reason.split(":")[0] for d in declined] == [
        "Adult safeguarding referral to the local authority (Care Act 2014 s.42)"
    ]


def test_a_stalking_protection_order_in_force_is_asked_about_like_any_order(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    with store.session() as db:
        found = assigned_incident(db, OFFICER, ("Risks", []))
        suspect = Person(forename="Rex", surname="Testperson")
        db.add(suspect)
        db.flush()
        found.suspect_id = suspect.id
        db.add(ProtectiveOrder(kind=OrderKind.STALKING_PROTECTION_ORDER, subject_id=suspect.id,
                               protected_id=found.victim_id, detail="Not to go to her work",
                               starts_on=date(2025, 12, 1), ends_on=date(2027, 12, 1)))  # fmt: skip
        db.flush()
        facts = facts_for(db, found.id)
    assert facts["live_orders"] == 1
    label = facts["orders_in_force"][0]["label"]
    assert label == "Stalking protection order: Not to go to her work (until 2027-12-01)"
    cl = checklists[FIRST_RESPONSE]
    ev = evaluate(cl, with_fact_entries(cl, {}, facts), facts)
    assert "orders_in_force[0].breached" in {i.item for i in ev.missing_required}


def test_safety_advice_not_given_reaches_the_dip_sample(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    cl = checklists["safety_advice"]
    advice = {q.id: "yes" for q in cl.items if q.type == "yesno"}
    answers = {**advice, "situation": ["injured"], "first_aid": "no",
               "first_aid.reason": "Caller hung up before advice"}  # fmt: skip
    with store.session() as db:
        found = assigned_incident(db, OFFICER, ("Risks", []))
        handler = User(collar="CH1001", name="Test Handler", role=Role.CALL_HANDLER)
        db.add(handler)
        db.flush()
        record_safety_advice(db, handler, found.id, cl, answers)
        db.flush()
        case = load_case(db, found.id)
    assert case is not None
    assert [d["kind"] for d in case.result("safety_advice")["decisions"]] == [
        "safety_advice_not_given"
    ]
    assert must_check_reasons(case) == ["reduced_protection"]


@pytest.mark.parametrize(
    ("who", "decision"), [("suspect", False), ("victim", True), ("not_determined", True)]
)
def test_a_counter_allegation_asks_for_the_primary_perpetrator_and_why(
    checklists: dict[str, Checklist], who: str, decision: bool
) -> None:
    cl = checklists[FIRST_RESPONSE]
    ev = evaluate(cl, first_response_answers(counter_allegation="yes"))
    wanted = {"primary_perpetrator", "primary_perpetrator_basis", "primary_perpetrator_account"}
    assert wanted <= {i.item for i in ev.missing_required}
    ev = evaluate(cl, first_response_answers(counter_allegation="yes", primary_perpetrator=who))
    assert ("primary_perpetrator_unclear" in {d.kind for d in ev.decisions}) is decision
