"""One test per content rule in the shipped checklists."""

from __future__ import annotations

from typing import Any

import pytest

from firstresponse.checklist import evaluate
from firstresponse.vocab import Grade, RiskLevel
from tests.unit.test_checklist_properties import LISTS, fill

THRIVE = LISTS["thrive"]
FIRST = LISTS["first_response"]
RISK = LISTS["risk"]
DIP = LISTS["dip_sample_review"]
ADVICE = LISTS["safety_advice"]

CALM = {
    "caller_role": "victim", "caller_can_talk": "yes", "happening_now": "no",
    "suspect_present": "no", "children_present": "no", "injuries": "no", "weapons": "no",
    "strangulation": "no", "threats_to_kill": "no", "suspect_workforce": "no",
    "honour_abuse": "no",
    "vulnerabilities": ["none_known"],
}  # fmt: skip


def kinds(ev: Any) -> list[str]:
    return [d.kind for d in ev.decisions]


# --- THRIVE -------------------------------------------------------------------------------
def test_thrive_has_a_section_per_letter() -> None:
    for letter in ("Threat", "Harm", "Risk", "Investigation", "Vulnerability", "Engagement"):
        assert letter in THRIVE.sections


def test_thrive_grades_are_the_vocabulary() -> None:
    assert [v for v, _ in THRIVE.item("grade").options] == [g.value for g in Grade]  # type: ignore[union-attr]


@pytest.mark.parametrize("grade", [g.value for g in Grade])
def test_every_grade_needs_a_rationale(grade: str) -> None:
    ev = evaluate(THRIVE, {**CALM, "grade": grade})
    assert "grade" in [i.item for i in ev.missing_reasons]
    ev = evaluate(THRIVE, {**CALM, "grade": grade, "grade.reason": "Because"})
    assert "grade" not in [i.item for i in ev.missing_reasons]


def test_no_deployment_is_always_below_the_floor() -> None:
    assert evaluate(THRIVE, CALM).grade_floor == Grade.SCHEDULED
    answers = {**CALM, "grade": "resolved_without_deployment", "grade.reason": "Advice only"}
    ev = evaluate(THRIVE, answers)
    assert "grade_below_floor" in ev.flags
    assert {"no_deployment", "grade_below_floor"} <= set(kinds(ev))
    assert "grade_below_floor" not in evaluate(THRIVE, {**CALM, "grade": "scheduled"}).flags


@pytest.mark.parametrize(
    ("change", "facts", "floor"),
    [
        ({"happening_now": "yes"}, {}, Grade.IMMEDIATE),
        ({"suspect_present": "yes"}, {}, Grade.IMMEDIATE),
        ({"weapons": "yes"}, {}, Grade.IMMEDIATE),
        ({"threats_to_kill": "yes"}, {}, Grade.IMMEDIATE),
        ({"strangulation": "yes"}, {}, Grade.IMMEDIATE),
        ({"caller_can_talk": "no"}, {}, Grade.IMMEDIATE),
        ({}, {"markers": ["firearms"]}, Grade.IMMEDIATE),
        ({}, {"previous_risk_level": "high"}, Grade.IMMEDIATE),
        ({"children_present": "yes"}, {}, Grade.PRIORITY),
        ({}, {"repeat_victim": True}, Grade.PRIORITY),
        ({}, {"incidents_12m": 3}, Grade.PRIORITY),
        ({"injuries": "yes"}, {}, Grade.PRIORITY),
        ({"suspect_workforce": "yes"}, {}, Grade.PRIORITY),
        ({}, {"police_workforce_suspect": True}, Grade.PRIORITY),
        ({}, {"live_orders": 1}, Grade.PRIORITY),
        ({"vulnerabilities": ["pregnant"]}, {}, Grade.PRIORITY),
        ({"children_present": "yes", "weapons": "yes"}, {"repeat_victim": True}, Grade.IMMEDIATE),
    ],
)
def test_grade_floors(change: dict[str, Any], facts: dict[str, Any], floor: Grade) -> None:
    ev = evaluate(THRIVE, {**CALM, **change}, facts)
    assert ev.grade_floor == floor
    assert ev.grade_floor_reasons


def test_grade_below_floor_needs_override_and_supervisor() -> None:
    answers = {**CALM, "children_present": "yes", "grade": "scheduled", "grade.reason": "Busy"}
    ev = evaluate(THRIVE, answers, {"repeat_victim": True})
    assert "grade_below_floor" in ev.flags
    missing = [i.item for i in ev.missing_required]
    assert {"floor_override_reason", "floor_override_supervisor"} <= set(missing)
    assert {"low_grade", "grade_below_floor"} <= set(kinds(ev))
    answers |= {"floor_override_reason": "Caller at a refuge", "floor_override_supervisor": "x1"}
    ev = evaluate(THRIVE, answers, {"repeat_victim": True})
    assert [i.item for i in ev.errors] == ["floor_override_supervisor"]
    answers["floor_override_supervisor"] = "SG3001"
    ev = evaluate(THRIVE, answers, {"repeat_victim": True})
    below = next(d for d in ev.decisions if d.kind == "grade_below_floor")
    assert below.reason == "Caller at a refuge"


def test_grade_at_or_above_floor_needs_no_override() -> None:
    for grade in ("priority", "immediate"):
        ev = evaluate(THRIVE, {**CALM, "children_present": "yes", "grade": grade})
        assert "grade_below_floor" not in ev.flags
        assert "floor_override_reason" not in ev.visible


@pytest.mark.parametrize(
    ("grade", "kind"),
    [("scheduled", "low_grade"), ("resolved_without_deployment", "no_deployment")],
)
def test_low_grades_are_decisions_with_the_rationale(grade: str, kind: str) -> None:
    ev = evaluate(THRIVE, {**CALM, "grade": grade, "grade.reason": "Caller's choice, safe"})
    decision = next(d for d in ev.decisions if d.kind == kind)
    assert (decision.item, decision.reason) == ("grade", "Caller's choice, safe")
    assert kinds(evaluate(THRIVE, {**CALM, "grade": "priority"})) == []


def test_scheduled_needs_appointment_and_confirmed_safety() -> None:
    ev = evaluate(THRIVE, {**CALM, "grade": "scheduled", "safe_until_appointment": "unknown"})
    assert "appointment_at" in [i.item for i in ev.missing_required]
    assert "safe_until_appointment" in [i.item for i in ev.missing_reasons]
    assert "scheduled_without_safety" in kinds(ev)


def test_thrive_workforce_suspect_refers_to_professional_standards() -> None:
    ev = evaluate(THRIVE, CALM, {"police_workforce_suspect": True})
    assert "police_workforce_suspect" in ev.flags
    assert [r.id for r in ev.referrals] == ["professional_standards"]


# --- First response ----------------------------------------------------------------------
def child(**answers: Any) -> dict[str, Any]:
    base = {"name": "Child A", "age": 6, "location": "elsewhere_home", "how_affected": ["heard"]}
    return {
        **base,
        "seen": "yes",
        "spoken_to": "yes",
        "injured": "no",
        "at_school": "no",
        **answers,
    }


def test_first_response_covers_the_app_list() -> None:
    ids = {i.id for i in FIRST.items}
    expected = {
        "arrived_at", "scene_safe", "parties_separated", "bwv_on", "bwv_started_at",
        "first_account_on_bwv", "photos_injuries", "photos_scene", "call_recording_requested",
        "witnesses", "house_to_house", "cctv", "children", "suspect_status",
        "grounds_for_arrest", "arrested", "offences", "interpreter_type", "contact_method",
        "victim_wishes", "safeguarding_actions", "evidence_led_considered",
    }  # fmt: skip
    assert expected <= ids
    children = {c.id for c in FIRST.item("children").items}  # type: ignore[union-attr]
    assert {"name", "age", "location", "seen", "spoken_to", "school"} <= children


def test_no_arrest_with_grounds_needs_positive_action_reason() -> None:
    ev = evaluate(FIRST, {"grounds_for_arrest": "yes", "arrested": "no"})
    assert "arrested" in [i.item for i in ev.missing_reasons]
    assert "no_arrest" in kinds(ev) and "arrest_not_made" in ev.flags
    ev = evaluate(FIRST, {"grounds_for_arrest": "no", "arrested": "no"})
    assert "no_arrest" not in kinds(ev) and "arrested" not in ev.visible


def test_bwv_off_needs_reason_and_on_needs_time() -> None:
    ev = evaluate(FIRST, {"bwv_on": "no"})
    assert "bwv_off" in kinds(ev) and "bwv_started_at" not in ev.visible
    ev = evaluate(FIRST, {"bwv_on": "yes"})
    assert "bwv_off" not in kinds(ev)
    assert "bwv_started_at" in [i.item for i in ev.missing_required]


def test_children_present_require_an_entry_per_child() -> None:
    ev = evaluate(FIRST, {"children_present": "yes"})
    assert "children" in [i.item for i in ev.missing_required]


def test_each_child_not_seen_or_not_spoken_to_is_its_own_decision() -> None:
    answers = {
        "children_present": "yes",
        "children": [child(), child(name="Child B", seen="no", spoken_to="no")],
    }
    ev = evaluate(FIRST, answers)
    assert [(d.kind, d.item) for d in ev.decisions] == [
        ("child_not_seen", "children[1].seen"),
        ("child_not_spoken_to", "children[1].spoken_to"),
    ]
    answers["children"][1]["seen.reason"] = "At father's address; PC2002 visiting 10:00"
    ev = evaluate(FIRST, answers)
    assert "children[1].seen" not in [i.item for i in ev.missing_reasons]
    assert "children[1].spoken_to" in [i.item for i in ev.missing_reasons]


def test_children_referrals_and_school_notification() -> None:
    answers = {"children_present": "yes", "children": [child()]}
    assert [r.id for r in evaluate(FIRST, answers).referrals] == ["childrens_services"]
    answers["children"].append(child(name="Child B", at_school="yes", school="Synthetic Primary"))
    ids = [r.id for r in evaluate(FIRST, answers).referrals]
    assert ids == ["childrens_services", "school_notification"]


def test_child_age_must_be_a_child() -> None:
    ev = evaluate(FIRST, {"children_present": "yes", "children": [child(age=19)]})
    assert [i.item for i in ev.errors] == ["children[0].age"]


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("family_member", True), ("child", True), ("friend_or_neighbour", True),
     ("professional_remote", False), ("officer", False)],
)  # fmt: skip
def test_informal_interpreter_needs_reason(kind: str, reason: bool) -> None:
    ev = evaluate(FIRST, {"interpreter_needed": "yes", "interpreter_type": kind})
    assert ("informal_interpreter" in kinds(ev)) is reason
    assert ("interpreter_type" in [i.item for i in ev.missing_reasons]) is reason


def test_evidence_led_case_considered_when_victim_does_not_support() -> None:
    ev = evaluate(FIRST, {"victim_supports_case": "no"})
    assert "evidence_led_considered" in [i.item for i in ev.missing_required]
    ev = evaluate(FIRST, {"victim_supports_case": "no", "evidence_led_considered": "no"})
    assert "evidence_led_not_considered" in kinds(ev)
    assert "evidence_led_considered" not in evaluate(FIRST, {"victim_supports_case": "yes"}).visible


def test_first_response_workforce_suspect() -> None:
    ev = evaluate(FIRST, {"suspect_workforce": "yes"})
    assert "professional_standards" in [r.id for r in ev.referrals]


# --- Risk ----------------------------------------------------------------------------------
FACTORS = [i.id for i in RISK.items if "risk_factor" in i.tags]


def factors(n: int) -> dict[str, str]:
    """n factors answered yes, avoiding the serious-harm ones, the rest no."""
    plain = [f for f in FACTORS if f not in ("weapon_used", "threats_to_kill", "strangulation")]
    order = [*plain, "weapon_used", "threats_to_kill", "strangulation"]
    return {f: ("yes" if i < n else "no") for i, f in enumerate(order)}


def test_risk_has_28_factor_areas_with_free_text_per_section() -> None:
    assert len(FACTORS) == 28
    sections = {RISK.item(f).section for f in FACTORS}  # type: ignore[union-attr]
    details = [i for i in RISK.items if i.id.endswith("_detail")]
    assert {d.section for d in details} == sections


def test_free_text_required_in_a_section_with_a_yes() -> None:
    ev = evaluate(RISK, {"threats_to_kill": "yes"})
    assert "serious_detail" in [i.item for i in ev.missing_required]
    assert "now_detail" not in ev.visible


@pytest.mark.parametrize(
    ("n", "level"),
    [(0, RiskLevel.STANDARD), (9, RiskLevel.STANDARD), (10, RiskLevel.STANDARD),
     (13, RiskLevel.STANDARD), (14, RiskLevel.HIGH), (25, RiskLevel.HIGH)],
)  # fmt: skip
def test_suggested_level_from_count(n: int, level: RiskLevel) -> None:
    """Only 14 or more factors suggest a level (high): there is no '10 gives medium' rule."""
    ev = evaluate(RISK, factors(n))
    assert ev.computed["risk_factor_count"] == n
    assert ev.computed["computed_risk_level"] == level.value


def test_three_incidents_in_12_months_is_a_marac_criterion_not_a_level() -> None:
    ev = evaluate(RISK, {**factors(2), "officer_level": "standard"}, {"incidents_12m": 3})
    assert ev.computed["computed_risk_level"] == "standard" and ev.risk_level == "standard"
    assert "marac_escalation" in ev.flags and "marac" in {r.id for r in ev.referrals}
    ev = evaluate(RISK, {**factors(2), "officer_level": "standard"}, {"incidents_12m": 2})
    assert "marac" not in {r.id for r in ev.referrals}


def test_serious_harm_indicator_suggests_high() -> None:
    assert evaluate(RISK, {"strangulation": "yes"}).computed["computed_risk_level"] == "high"


def test_high_risk_refers_to_marac_and_idva_and_declining_needs_reason() -> None:
    ev = evaluate(RISK, factors(14))
    assert {"marac", "idva"} <= {r.id for r in ev.referrals}
    assert "marac_referral" in [i.item for i in ev.missing_required]
    ev = evaluate(RISK, {**factors(14), "marac_referral": "no"})
    assert "referral_declined" in kinds(ev)
    assert "marac_referral" in [i.item for i in ev.missing_reasons]


def test_judgement_raises_with_reason() -> None:
    ev = evaluate(RISK, {**factors(3), "officer_level": "high"})
    assert ev.risk_level == RiskLevel.HIGH
    assert "risk_raised" in kinds(ev)
    assert "officer_level" in [i.item for i in ev.missing_reasons]
    assert "marac" in {r.id for r in ev.referrals}


def test_lowering_needs_reason_and_keeps_the_marac_suggestion() -> None:
    answers = {**factors(15), "officer_level": "medium", "officer_level.reason": "Moved away"}
    ev = evaluate(RISK, answers)
    assert ev.risk_level == RiskLevel.MEDIUM
    assert ev.computed["computed_risk_level"] == "high"
    lowered = next(d for d in ev.decisions if d.kind == "risk_lowered")
    assert lowered.reason == "Moved away"
    assert "marac" in {r.id for r in ev.referrals}


@pytest.mark.parametrize(
    ("answers", "facts", "referral"),
    [
        ({"children_in_household": "yes"}, {}, "childrens_services"),
        ({"children_in_household": "yes", "children_at_school": "yes"}, {}, "school_notification"),
        ({"strangulation": "yes"}, {}, "medical_forensic"),
        ({"suspect_workforce": "yes"}, {}, "professional_standards"),
        ({}, {"police_workforce_suspect": True}, "professional_standards"),
        ({"hba_concern": "yes"}, {}, "hba_specialist"),
        ({"fgm": "yes"}, {}, "childrens_services"),
    ],
)
def test_risk_referrals(answers: dict[str, Any], facts: dict[str, Any], referral: str) -> None:
    assert referral in {r.id for r in evaluate(RISK, answers, facts).referrals}
    assert referral not in {r.id for r in evaluate(RISK, {}, {}).referrals}


# --- Safety advice and dip-sample review ---------------------------------------------------
def test_safety_advice_shows_advice_for_the_situation() -> None:
    ev = evaluate(ADVICE, {"situation": ["abuser_present", "children"]})
    assert {"safe_room", "do_not_confront", "children_with_you"} <= ev.visible
    assert not {"lock_doors", "neck_medical"} & ev.visible
    ev = evaluate(ADVICE, {"situation": ["neck"]})
    assert "neck_medical" in [i.item for i in ev.missing_required]


def test_dip_sample_point_not_met_needs_comment_and_action() -> None:
    answers = fill(DIP, {"arrest_justified": "not_met", "outcome": "compliant"})
    ev = evaluate(DIP, answers)
    assert ev.computed["points_not_met"] == 1 and "action_required" in ev.flags
    assert answers["outcome"] in ("action_required", "escalated")
    ev = evaluate(DIP, {**answers, "outcome": "compliant"})
    assert [i.item for i in ev.errors] == ["outcome"]
    ev = evaluate(DIP, {"arrest_justified": "not_met"})
    assert "arrest_justified" in [i.item for i in ev.missing_reasons]


def test_first_response_restricted_fields_are_tagged_and_optional() -> None:
    restricted = {i.id for i in FIRST.items if "restricted" in i.tags}
    assert restricted == {"refuge_address", "immigration_status"}
    ev = evaluate(FIRST, {})
    assert not {i.item for i in ev.missing_required} & restricted
    assert restricted <= ev.visible
