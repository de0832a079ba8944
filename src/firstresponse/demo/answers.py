"""Synthetic answer sets that complete each checklist: for the demo store and the tests."""

from __future__ import annotations

from typing import Any

from firstresponse.checklist import Checklist

RISK_FACTORS_NO = "no"


def first_response_answers(**changes: Any) -> dict[str, Any]:
    """A complete first response with no children and no decision to review: a push
    disclosed as common assault, a crime recorded, the suspect arrested and kept in
    custody for court; `changes` override."""
    answers: dict[str, Any] = {
        "arrived_at": "2026-01-10 21:40",
        "relationship": "intimate",
        "victim_age_band": "18_plus",
        "suspect_age_band": "18_plus",
        "abuse_types": ["physical"],
        "officer_account": "Victim tearful and shaking; chair overturned in the kitchen",
        "scene_safe": "yes",
        "parties_separated": "yes",
        "bwv_on": "yes",
        "bwv_started_at": "2026-01-10 21:40",
        "victim_present": "yes",
        "first_account_on_bwv": "yes",
        "statement": "taken",
        "injuries_seen": "no",
        "offences_disclosed": ["assault"],
        "offences": "Pushed against the kitchen wall at about 21:15",
        "assault_detail": "Pushed; no visible injury, redness to the upper arm photographed",
        "weapon_used": "no",
        "digital_evidence": "none",
        "third_party_evidence": "none",
        "photos_scene": "yes",
        "call_recording_requested": "yes",
        "witnesses_present": "no",
        "house_to_house": "yes",
        "cctv": "none",
        "children_present": "no",
        "suspect_status": "present",
        "grounds_for_arrest": "yes",
        "arrested": "yes",
        "arrested_at": "2026-01-10 21:50",
        "crime_recorded": "yes",
        "suspect_outcome": "charged_remanded",
        "suspect_workforce": "no",
        "counter_allegation": "no",
        "interpreter_needed": "no",
        "contact_method": "phone",
        "contact_safety": "Own mobile, evenings only",
        "victim_wishes": "Wants the suspect to stay away",
        "victim_supports_case": "yes",
        "safeguarding_actions": ["safety_plan"],
        "risk_checklist_done": "yes",
        "support_information": "yes",
        "care_support_needs": "no",
        "care_and_dependants": ["neither"],
        "handover": "Day CID; victim's contact is the OIC",
    }
    answers.update(changes)
    return answers


def no_charge_answers(
    decision: str = "tests_not_met", reason: str = "No violence or threat"
) -> dict[str, Any]:
    """The protection-notice answers when the suspect is not charged (legal tests not met)."""
    return {
        "notice_scheme": "dvpn",
        "notice_test_violence": "no",
        "notice_test_necessary": "no",
        "notice_test_age": "yes",
        "notice_decision": decision,
        "notice_decision.reason": reason,
    }


def child_entry(name: str, age: int, **changes: Any) -> dict[str, Any]:
    """A child who was seen and spoken with, not injured, not at school."""
    entry: dict[str, Any] = {
        "name": name,
        "age": age,
        "location": "elsewhere_home",
        "how_affected": ["heard"],
        "seen": "yes",
        "spoken_to": "yes",
        "injured": "no",
        "at_school": "no",
    }
    entry.update(changes)
    return entry


def risk_answers(checklist: Checklist, yes: tuple[str, ...] = (), **changes: Any) -> dict[str, Any]:
    """A complete risk checklist: every risk factor 'no' except those in `yes`."""
    answers: dict[str, Any] = {
        "participation": "full",
        "children_in_household": "no",
        "forced_marriage": "no",
        "fgm": "no",
        "multiple_perpetrators": "no",
        "suspect_workforce": "no",
        "officer_view": "Victim calm, has family support nearby",
        "officer_level": "standard",
    }
    for item in checklist.items:
        if "risk_factor" in item.tags:
            answers[item.id] = "yes" if item.id in yes else RISK_FACTORS_NO
    answers.update(changes)
    return answers
