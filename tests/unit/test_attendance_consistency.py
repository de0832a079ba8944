"""Issue 26: answer sets that once passed with no reason, no decision and no sampling.

Each is driven through the shipped checklists and the real submit path (drafts opened with
the store's facts, answers saved, `submit`), then through the supervisor's must-check
selection and same-shift queue.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from firstresponse.attendance import FIRST_RESPONSE, RISK, SubmissionRefused, submit
from firstresponse.attendance.drafts import open_draft, save_answers
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.referrals import set_referral
from firstresponse.attendance.risk import risk_summary
from firstresponse.checklist import Checklist, evaluate, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import (
    child_entry,
    first_response_answers,
    no_charge_answers,
    risk_answers,
)
from firstresponse.records import Assessment, Child, Decision
from firstresponse.store import Store
from firstresponse.supervision.cases import load_case
from firstresponse.supervision.high_risk import review_queue
from firstresponse.supervision.sampling import must_check_reasons
from tests.builders import assigned_incident

OFFICER = "PC2001"
#: The suspect not arrested for want of grounds, not charged, no notice (tests not met).
NO_GROUNDS = {
    "grounds_for_arrest": "no",
    "suspect_outcome": "not_arrested",
    "crime_recorded": "yes",
    **no_charge_answers(),
}
#: What each offence needs recorded about it.
OFFENCE_DETAIL: dict[str, dict[str, Any]] = {
    "assault": {},
    "coercive_control": {
        "coercive_pattern": "Takes her phone and bank card every day since March",
        "coercive_effect": "alarm_distress",
        "coercive_after_separation": "no",
    },
    "stalking": {
        "course_of_conduct_times": 3,
        "course_of_conduct": "Waited outside her work on three days",
        "stalking_behaviours": ["turning_up"],
        "stalking_effect": "alarm_distress",
        "stalking_protection_order": "referred",
    },
    "harassment": {"course_of_conduct_times": 2, "course_of_conduct": "Two abusive letters"},
    "sexual_offence": {},
    "criminal_damage": {"damage_detail": "Her phone smashed, about 300 pounds, photographed"},
}
#: The risk checklist's stalking screen, answered (asked where stalking is disclosed).
STALKING_SCREEN: dict[str, Any] = {
    "stalk_frightened": "yes", "stalk_before": "no", "stalk_property": "no",
    "stalk_turns_up": "yes", "stalk_follows": "yes", "stalk_threats": "no",
    "stalk_others_pestered": "no", "stalk_violent_others": "no", "stalk_helpers": "no",
    "stalk_problems": "no", "stalk_other_abuse": "no",
    "stalking_account": "Waits outside her work; she now takes a different route",
}  # fmt: skip
STRANGLED = {
    "offences_disclosed": ["strangulation"],
    "strangulation_detail": "Hands round her neck for a few seconds; hoarse voice",
    "strangulation_medical": "yes",
}


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


def _incident(store: Store, thrive: dict[str, Any] | None = None, children: int = 0) -> str:
    """An assigned incident; `thrive` are the call handler's answers, `children` the number
    of children the call recorded."""
    with store.session() as db:
        found = assigned_incident(db, OFFICER, ("Risks", []))
        if thrive is not None:
            db.add(
                Assessment(incident_id=found.id, checklist_id="thrive", checklist_version="1.1",
                           checklist_hash="x", answers=thrive, status="submitted", author="CH1001")
            )  # fmt: skip
        for n in range(children):
            db.add(Child(incident_id=found.id, name=f"Kit Test{n}", age=6 + n))
        return found.id


def _facts(store: Store, incident_id: str) -> dict[str, Any]:
    with store.session() as db:
        return facts_for(db, incident_id)


def _open(store: Store, incident_id: str, cl: Checklist) -> tuple[str, dict[str, Any]]:
    """Open the officer's draft as the terminal does: with the store's facts."""
    facts = _facts(store, incident_id)
    with store.session() as db:
        draft = open_draft(db, incident_id, cl, OFFICER, facts)
        return draft.id, dict(draft.answers)


def _fill(
    store: Store, incident_id: str, checklists: dict[str, Checklist], cid: str, answers: dict
) -> str:
    draft_id, opened = _open(store, incident_id, checklists[cid])
    facts = _facts(store, incident_id)
    save_answers(store, draft_id, {**opened, **answers}, checklists[cid], facts)
    return draft_id


def _submit(store: Store, incident_id: str, checklists: dict[str, Checklist]) -> list[str]:
    """Submit with the store's facts (as the terminal does); the problems if refused."""
    try:
        submit(store, incident_id, OFFICER, checklists, _facts(store, incident_id))
    except SubmissionRefused as refused:
        return refused.problems
    return []


def _kinds(store: Store) -> list[str]:
    with store.session() as db:
        return sorted(d.kind for d in db.exec(select(Decision)))


def _must_check(store: Store, incident_id: str) -> list[str]:
    with store.session() as db:
        case = load_case(db, incident_id)
        assert case is not None
        return must_check_reasons(case)


def _calm_risk(checklists: dict[str, Checklist], **changes: Any) -> dict[str, Any]:
    return risk_answers(checklists[RISK], **changes)


# --- 1. Positive action -----------------------------------------------------------------
@pytest.mark.parametrize("offence", sorted(OFFENCE_DETAIL))
@pytest.mark.parametrize("grounds", ["no", "unknown"])
def test_an_offence_with_no_arrest_is_a_decision_with_a_reason_and_must_be_checked(
    store: Store, checklists: dict[str, Checklist], offence: str, grounds: str
) -> None:
    incident_id = _incident(store)
    answers = first_response_answers(
        **{**NO_GROUNDS, "grounds_for_arrest": grounds, "offences_disclosed": [offence]},
        **OFFENCE_DETAIL[offence],
    )
    draft = _fill(store, incident_id, checklists, FIRST_RESPONSE, answers)
    _fill(store, incident_id, checklists, RISK, _calm_risk(checklists) | STALKING_SCREEN)
    if offence == "stalking":
        set_referral(store, draft, "stalking_service", True, checklist=checklists[FIRST_RESPONSE])
    problems = _submit(store, incident_id, checklists)
    assert any("explain why there were no grounds to arrest" in p for p in problems)
    assert any("basis for not arresting" in p for p in problems)
    answers |= {"grounds_for_arrest.reason": "Account unclear", "no_arrest_basis": ["necessity"]}
    save_answers(store, draft, answers, checklists[FIRST_RESPONSE])
    assert _submit(store, incident_id, checklists) == []
    assert "no_grounds_to_arrest" in _kinds(store)
    assert _must_check(store, incident_id)


def test_a_crime_recorded_with_no_offence_ticked_still_needs_the_reason(
    checklists: dict[str, Checklist],
) -> None:
    cl = checklists[FIRST_RESPONSE]
    ev = evaluate(cl, {"offences_disclosed": ["none"], **NO_GROUNDS})
    assert "grounds_for_arrest" in {i.item for i in ev.missing_reasons}
    assert "no_grounds_to_arrest" in {d.kind for d in ev.decisions}


#: (basis for not arresting, the "other" text, refused?)
BASES = [
    (["victim_wishes"], "", True),
    (["victim_wishes", "other"], "She asked us not to", True),  # still her wishes alone
    (["other"], "", True),  # "other" needs its text
    (["other"], "Suspect in hospital under guard", False),
    (["victim_wishes", "necessity"], "", False),
]


def test_the_victims_wishes_are_never_the_only_substantive_reason(
    checklists: dict[str, Checklist],
) -> None:
    refused = []
    for basis, other, _ in BASES:
        answers = first_response_answers(
            **NO_GROUNDS, **{"grounds_for_arrest.reason": "r", "no_arrest_basis": basis}
        )
        if other:
            answers["no_arrest_other"] = other
        ev = evaluate(checklists[FIRST_RESPONSE], answers)
        problems = {i.item for i in (*ev.errors, *ev.missing_required)}
        refused.append(bool(problems & {"no_arrest_basis", "no_arrest_other"}))
    assert refused == [r for _, _, r in BASES]


def test_no_arrest_after_strangulation_goes_to_the_same_shift_queue(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _incident(store)
    answers = first_response_answers(**NO_GROUNDS, **STRANGLED)
    answers |= {"grounds_for_arrest.reason": "Denies it", "no_arrest_basis": ["not_found"]}
    # the risk checklist is left for later: strangulation alone would make it high
    answers |= {"risk_checklist_done": "no", "risk_checklist_done.reason": "Victim at hospital"}
    _fill(store, incident_id, checklists, FIRST_RESPONSE, answers)
    assert _submit(store, incident_id, checklists) == []
    with store.session() as db:
        queued = {s.incident_id: s for s in review_queue(db)}
    assert incident_id in queued
    assert queued[incident_id].why.startswith("No arrest after strangulation recorded")


# --- 2. Children -------------------------------------------------------------------------
def test_a_child_the_call_recorded_cannot_be_dropped_by_answering_no(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _incident(store, children=1)
    draft, opened = _open(store, incident_id, checklists[FIRST_RESPONSE])
    answers = {**first_response_answers(children_present="no"), **opened}
    save_answers(store, draft, answers, checklists[FIRST_RESPONSE])
    _fill(store, incident_id, checklists, RISK, _calm_risk(checklists))
    problems = _submit(store, incident_id, checklists)
    assert any("recorded children at this address" in p for p in problems)
    assert any("Did an officer see the child" in p for p in problems)
    # removing the child is an answer with a reason, and a decision
    entry = answers["children"][0]
    entry |= {"connected": "recorded_in_error", "connected.reason": "Lives next door"}
    answers["children_present.reason"] = "The child is the neighbour's"
    save_answers(store, draft, answers, checklists[FIRST_RESPONSE])
    risk = _calm_risk(checklists, **{"children_in_household.reason": "Neighbour's child"})
    _fill(store, incident_id, checklists, RISK, risk)
    assert _submit(store, incident_id, checklists) == []
    assert {"child_removed", "contradicts_earlier"} <= set(_kinds(store))
    assert _must_check(store, incident_id)
    with store.session() as db:
        child = db.exec(select(Child)).one()
    assert child.seen is None and child.reason == "Recorded in error: Lives next door"


def test_a_childs_injury_is_a_harm_indicator_and_contradicts_no_injuries(
    checklists: dict[str, Checklist],
) -> None:
    cl = checklists[FIRST_RESPONSE]
    hurt = child_entry("Kit", 5, injured="yes", how_affected=["targeted"])
    answers = first_response_answers(
        children_present="yes", children=[hurt], offences_disclosed=["none"],
        no_offence_reason="x", grounds_for_arrest="no", crime_recorded="no",
    )  # fmt: skip
    ev = evaluate(cl, answers)
    assert "harm_indicator" in ev.flags
    assert "grounds_for_arrest" in {i.item for i in ev.missing_reasons}
    assert "injuries_seen" in {i.item for i in ev.errors}


# --- 3. "Not known" and what was known earlier ----------------------------------------------
def test_not_known_risk_factors_need_reasons_and_count_like_yes(
    checklists: dict[str, Checklist],
) -> None:
    cl = checklists[RISK]
    factors = [i.id for i in cl.items if "risk_factor" in i.tags]
    answers = risk_answers(cl) | dict.fromkeys(factors, "unknown")
    ev = evaluate(cl, answers)
    assert {i.item for i in ev.missing_reasons} >= set(factors)
    assert ev.computed["risk_factor_count"] == len(factors)
    assert ev.computed["computed_risk_level"] == "high"
    assert "risk_lowered" in {d.kind for d in ev.decisions}  # standard needs a reason
    summary = risk_summary(cl, answers)  # the risk screen lists them as not known
    assert summary.factor_count == len(factors) and summary.computed == "high"
    assert all(f.endswith("(not known: counts until answered)") for f in summary.factors)


@pytest.mark.parametrize("where", ["call", "scene"])
def test_strangulation_known_earlier_fills_and_constrains_the_risk_checklist(
    store: Store, checklists: dict[str, Checklist], where: str
) -> None:
    call = {"strangulation": "yes"} if where == "call" else {"strangulation": "no"}
    incident_id = _incident(store, thrive=call)
    first = first_response_answers(
        **(STRANGLED if where == "scene" else {}), **{"offences_disclosed.reason": "x"}
    )
    if where == "call":
        first["offences_disclosed.reason"] = "She says he grabbed her arm, not her neck"
    _fill(store, incident_id, checklists, FIRST_RESPONSE, first)
    draft, opened = _open(store, incident_id, checklists[RISK])
    assert opened["strangulation"] == "yes"  # filled in from what was known
    answers = _calm_risk(checklists)  # ... and answered "no"
    save_answers(store, draft, answers, checklists[RISK])
    problems = _submit(store, incident_id, checklists)
    assert any("Strangulation was reported at the call" in p for p in problems)
    answers["strangulation.reason"] = "Victim now says it did not happen"
    save_answers(store, draft, answers, checklists[RISK])
    set_referral(store, draft, "medical_forensic", True, checklist=checklists[RISK])
    assert _submit(store, incident_id, checklists) == []
    assert "contradicts_earlier" in _kinds(store)
    assert _must_check(store, incident_id)


def test_the_callers_account_carries_to_the_scene(checklists: dict[str, Checklist]) -> None:
    cl = checklists[FIRST_RESPONSE]
    facts = {"call_strangulation": True, "call_weapons": True, "call_injuries": True}
    ev = evaluate(cl, first_response_answers(), facts)
    needed = {i.item for i in ev.missing_reasons}
    assert {"offences_disclosed", "weapon_used", "injuries_seen"} <= needed
    assert [d.kind for d in ev.decisions].count("contradicts_earlier") == 3
    assert "harm_indicator" in ev.flags


# --- 4. MARAC ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("yes", "level", "facts"),
    [
        ((), "standard", {"incidents_12m": 4}),  # escalation
        ((), "standard", {"on_marac": True}),  # repeat MARAC
        (("injured_now", "very_frightened", "fears_worse", "cut_off", "low_mood",
          "recent_separation", "child_contact_dispute", "more_often", "getting_worse",
          "controlling", "stalking", "hurt_others", "money_problems", "violent_history"),
         "medium", {}),  # 14 ticks lowered to medium
    ],
)  # fmt: skip
def test_declining_marac_needs_a_supervisor_when_the_criteria_call_for_it(
    checklists: dict[str, Checklist], yes: tuple[str, ...], level: str, facts: dict
) -> None:
    cl = checklists[RISK]
    answers = risk_answers(cl, yes, officer_level=level, marac_referral="no")
    answers |= {"marac_referral.reason": "Victim declined", "officer_level.reason": "r"}
    ev = evaluate(cl, answers, facts)
    assert "marac_decline_authority" in {i.item for i in ev.missing_required}
    ev = evaluate(cl, {**answers, "marac_decline_authority": "SG3001 agreed: IDVA engaged"}, facts)
    assert not {i.item for i in (*ev.missing_required, *ev.errors)} & {"marac_decline_authority"}
    assert "marac_declined_high_risk" in {d.kind for d in ev.decisions}


@pytest.mark.parametrize(
    "first",
    [
        {"risk_checklist_done": "no", "risk_checklist_done.reason": "Tomorrow"},
        {"victim_present": "no", "victim_whereabouts": "Not at home; phone off",
         "risk_checklist_done": "no", "risk_checklist_done.reason": "Victim not found"},
    ],
)  # fmt: skip
def test_unassessed_after_threats_to_kill_at_the_call_reach_the_same_shift_queue(
    store: Store, checklists: dict[str, Checklist], first: dict
) -> None:
    incident_id = _incident(store, thrive={"threats_to_kill": "yes"})
    answers = first_response_answers(**first) | {
        "offences_disclosed": ["threats_to_kill", "assault"],
        "threats_detail": "Said he would kill her if she called us",
    }
    _fill(store, incident_id, checklists, FIRST_RESPONSE, answers)
    assert _submit(store, incident_id, checklists) == []
    with store.session() as db:
        queued = {s.incident_id: s.why for s in review_queue(db)}
    assert "threats to kill reported at the call" in queued[incident_id]


# --- 5. Reason-only choices are decisions ------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        (no_charge_answers("tests_not_met"), "protective_notice_not_sought"),
        ({**no_charge_answers("refused"), "notice_test_violence": "yes",
          "notice_test_necessary": "yes", "notice_authority": "SU4001 Superintendent",
          "notice_authority_rank": "superintendent"}, "protective_notice_not_sought"),
        ({"first_account_on_bwv": "no"}, "first_account_not_recorded"),
        ({"support_information": "no"}, "rights_not_explained"),
    ],
)  # fmt: skip
def test_reason_only_choices_become_decisions_that_are_checked(
    store: Store, checklists: dict[str, Checklist], changes: dict, kind: str
) -> None:
    incident_id = _incident(store)
    item = next(k for k in ("notice_decision", "first_account_on_bwv", "support_information")
                if k in changes)  # fmt: skip
    answers = first_response_answers(**changes)
    if "notice_decision" in changes:
        answers |= {"suspect_outcome": "nfa", "release_victim_views": "Told by phone"}
        answers |= {"suspect_outcome.reason": "No evidence of the assault"}
    answers[f"{item}.reason"] = "Recorded reason"
    _fill(store, incident_id, checklists, FIRST_RESPONSE, answers)
    _fill(store, incident_id, checklists, RISK, _calm_risk(checklists))
    assert _submit(store, incident_id, checklists) == []
    assert kind in _kinds(store)
    assert _must_check(store, incident_id)


def test_safety_advice_not_given_is_a_decision(checklists: dict[str, Checklist]) -> None:
    ev = evaluate(checklists["safety_advice"], {"situation": ["injured"], "first_aid": "no"})
    assert "first_aid" in {i.item for i in ev.missing_reasons}
    assert "safety_advice_not_given" in {d.kind for d in ev.decisions}


# --- 6. Smaller inconsistencies ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "item"),
    [
        ({"suspect_age_band": "16_17", "suspect_outcome": "not_arrested",
          "grounds_for_arrest": "no", **no_charge_answers(), "notice_test_age": "yes"},
         "notice_test_age"),
        ({"grounds_for_arrest": "no", "suspect_outcome": "charged_remanded"}, "suspect_outcome"),
        ({"grounds_for_arrest": "no", "no_arrest_basis": ["no_offence"]}, "no_arrest_basis"),
        ({"suspect_outcome": "nfa", **no_charge_answers("authorised"),
          "notice_test_violence": "yes", "notice_test_necessary": "yes",
          "notice_served_at": "2026-01-10 23:00", "order_hearing_at": "2026-01-14 10:00"},
         "order_hearing_at"),
    ],
)  # fmt: skip
def test_inconsistent_answers_are_refused(
    checklists: dict[str, Checklist], changes: dict, item: str
) -> None:
    ev = evaluate(checklists[FIRST_RESPONSE], first_response_answers() | changes)
    assert item in {i.item for i in ev.errors}


def test_the_hearing_must_be_within_48_hours_of_service(
    checklists: dict[str, Checklist],
) -> None:
    tests = {"notice_test_violence": "yes", "notice_test_necessary": "yes"}
    served = {**no_charge_answers("authorised"), **tests, "notice_served_at": "2026-01-10 23:00"}
    refused = {}
    for hearing in ("2026-01-12 10:00", "2026-01-14 10:00", "2026-01-10 09:00"):
        answers = first_response_answers(suspect_outcome="nfa") | served
        ev = evaluate(checklists[FIRST_RESPONSE], answers | {"order_hearing_at": hearing})
        refused[hearing] = "order_hearing_at" in {i.item for i in ev.errors}
    # 35 hours after service is in time; four days later, or before service, is not
    assert refused == {"2026-01-12 10:00": False, "2026-01-14 10:00": True,
                       "2026-01-10 09:00": True}  # fmt: skip


def test_a_risk_draft_opened_with_what_was_known_but_untouched_does_not_block(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _incident(store, thrive={"strangulation": "yes"})
    first = first_response_answers(**STRANGLED, risk_checklist_done="no")
    first["risk_checklist_done.reason"] = "Victim taken to hospital"
    _fill(store, incident_id, checklists, FIRST_RESPONSE, first)
    _, opened = _open(store, incident_id, checklists[RISK])  # opened, filled in, left
    assert opened["strangulation"] == "yes"
    assert _submit(store, incident_id, checklists) == []
    with store.session() as db:
        risk = db.exec(select(Assessment).where(Assessment.checklist_id == RISK)).one()
    assert risk.status == "draft"  # still the officer's to complete later


def test_a_responders_terminal_reads_the_callers_account_from_the_briefing(
    store: Store,
) -> None:
    """The THRIVE answers stay with the control room: the briefing says what was reported."""
    with store.session() as db:
        found = assigned_incident(
            db, OFFICER, ("Risks", ["Strangulation or restricted breathing reported"])
        )
        facts = facts_for(db, found.id)
    assert facts["call_strangulation"] is True
    assert facts["call_threats_to_kill"] is False and facts["call_children"] == []
