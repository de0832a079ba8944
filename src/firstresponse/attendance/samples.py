"""Synthetic answer sets that complete each checklist: for the demo store and the tests."""

from __future__ import annotations

from typing import Any

from firstresponse.checklist import Checklist

RISK_FACTORS_NO = "no"


def first_response_answers(**changes: Any) -> dict[str, Any]:
    """A complete first response with no children, no grounds to arrest; `changes` override."""
    answers: dict[str, Any] = {
        "arrived_at": "2026-01-10 21:40",
        "scene_safe": "yes",
        "parties_separated": "yes",
        "bwv_on": "yes",
        "bwv_started_at": "2026-01-10 21:40",
        "victim_present": "yes",
        "first_account_on_bwv": "yes",
        "statement": "taken",
        "injuries_seen": "no",
        "photos_scene": "yes",
        "call_recording_requested": "yes",
        "witnesses_present": "no",
        "house_to_house": "yes",
        "cctv": "none",
        "children_present": "no",
        "suspect_status": "present",
        "grounds_for_arrest": "no",
        "suspect_workforce": "no",
        "interpreter_needed": "no",
        "contact_method": "phone",
        "contact_safety": "Own mobile, evenings only",
        "victim_wishes": "Wants the suspect to stay away",
        "victim_supports_case": "yes",
        "safeguarding_actions": ["safety_plan"],
        "risk_checklist_done": "yes",
        "support_information": "yes",
        "handover": "Day CID; victim's contact is the OIC",
    }
    answers.update(changes)
    return answers


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
        "suspect_workforce": "no",
        "officer_view": "Victim calm, has family support nearby",
        "officer_level": "standard",
    }
    for item in checklist.items:
        if "risk_factor" in item.tags:
            answers[item.id] = "yes" if item.id in yes else RISK_FACTORS_NO
    answers.update(changes)
    return answers
