"""Issue 14: the loopholes in the first response, risk and THRIVE checklists, one rule each.

Every test evaluates the shipped checklists through the engine, as the forms and the
submission do.
"""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from firstresponse.checklist import check_file, evaluate, with_fact_entries
from firstresponse.checklist.loader import load_checklist
from firstresponse.supervision.casefile import answer_lines
from tests.unit.test_checklist_content import CALM, FIRST, RISK, THRIVE, kinds
from tests.unit.test_checklist_properties import REPO


def missing(ev: Any) -> set[str]:
    return {i.item for i in ev.missing_required}


def reasons(ev: Any) -> set[str]:
    return {i.item for i in ev.missing_reasons}


def errors(ev: Any) -> set[str]:
    return {i.item for i in ev.errors}


ORDER = {"id": "o-1", "label": "Restraining order: no contact (until 2027-01-01)",
         "order": "Restraining order: no contact (until 2027-01-01)"}  # fmt: skip
WITH_ORDER = {"live_orders": 1, "orders_in_force": [ORDER]}


# --- Versions -------------------------------------------------------------------------------
def test_changed_checklists_have_new_versions() -> None:
    assert (THRIVE.version, FIRST.version, RISK.version) == ("1.3", "2.1", "2.1")


# --- Offences disclosed and positive action --------------------------------------------------
@pytest.mark.parametrize("grounds", ["yes", "no", "unknown", None])
def test_offences_disclosed_are_asked_whatever_the_arrest_answer(grounds: str | None) -> None:
    ev = evaluate(FIRST, {"grounds_for_arrest": grounds} if grounds else {})
    assert "offences_disclosed" in missing(ev)


def test_no_offence_cannot_be_chosen_with_an_offence_and_needs_an_account() -> None:
    ev = evaluate(FIRST, {"offences_disclosed": ["none", "assault"]})
    assert "offences_disclosed" in errors(ev)
    ev = evaluate(FIRST, {"offences_disclosed": ["none"]})
    assert "no_offence_reason" in missing(ev) and "offences" not in ev.visible


@pytest.mark.parametrize(
    ("answers", "facts"),
    [
        ({"injuries_seen": "yes"}, {}),
        ({"weapon_used": "yes"}, {}),
        ({"offences_disclosed": ["strangulation"]}, {}),
        ({"offences_disclosed": ["threats_to_kill"]}, {}),
        ({"offences_disclosed": ["breach"]}, {}),
        ({}, WITH_ORDER),
    ],
)
def test_no_grounds_with_a_harm_indicator_needs_a_reason_and_is_a_decision(
    answers: dict[str, Any], facts: dict[str, Any]
) -> None:
    ev = evaluate(FIRST, {**answers, "grounds_for_arrest": "no"}, facts)
    assert "harm_indicator" in ev.flags
    assert "grounds_for_arrest" in reasons(ev) and "no_arrest_basis" in missing(ev)
    assert "no_grounds_to_arrest" in kinds(ev)


def test_no_grounds_without_a_harm_indicator_is_not_a_decision() -> None:
    ev = evaluate(FIRST, {"grounds_for_arrest": "no", "injuries_seen": "no", "weapon_used": "no"})
    assert "harm_indicator" not in ev.flags
    assert "no_grounds_to_arrest" not in kinds(ev) and "no_arrest_basis" not in ev.visible


@pytest.mark.parametrize(
    "start", [{"grounds_for_arrest": "yes", "arrested": "no"},
              {"grounds_for_arrest": "no", "injuries_seen": "yes"}],
)  # fmt: skip
def test_the_victims_wishes_cannot_be_the_only_reason(start: dict[str, Any]) -> None:
    ev = evaluate(FIRST, {**start, "no_arrest_basis": ["victim_wishes"]})
    assert "no_arrest_basis" in errors(ev)
    ev = evaluate(FIRST, {**start, "no_arrest_basis": ["victim_wishes", "not_found"]})
    assert "no_arrest_basis" not in errors(ev)


def test_crime_recording_is_its_own_decision() -> None:
    ev = evaluate(FIRST, {"grounds_for_arrest": "yes", "arrested": "yes", "crime_recorded": "no"})
    assert "crime_not_recorded" in kinds(ev) and "crime_recorded" in reasons(ev)
    ev = evaluate(FIRST, {"grounds_for_arrest": "no", "crime_recorded": "yes"})
    assert "crime_not_recorded" not in kinds(ev)
    assert "crime_recorded" in missing(evaluate(FIRST, {"grounds_for_arrest": "yes"}))


@pytest.mark.parametrize(
    ("offence", "prompts"),
    [
        ("assault", {"assault_detail"}),
        ("strangulation", {"strangulation_detail", "strangulation_medical"}),
        ("threats_to_kill", {"threats_detail"}),
        ("coercive_control", {"coercive_pattern", "coercive_effect", "coercive_after_separation"}),
        ("stalking", {"course_of_conduct_times", "course_of_conduct", "stalking_behaviours",
                      "stalking_effect"}),
        ("harassment", {"course_of_conduct_times", "course_of_conduct"}),
        ("criminal_damage", {"damage_detail"}),
    ],
)  # fmt: skip
def test_each_offence_prompts_for_its_evidence(offence: str, prompts: set[str]) -> None:
    ev = evaluate(FIRST, {"offences_disclosed": [offence]})
    assert prompts <= missing(ev)
    assert not prompts & evaluate(FIRST, {"offences_disclosed": ["other"]}).visible


def test_coercive_control_asks_about_after_separation() -> None:
    item = FIRST.item("coercive_after_separation")
    assert item is not None and "after separation" in item.help


def test_a_course_of_conduct_needs_two_occasions() -> None:
    base = {"offences_disclosed": ["stalking"]}
    assert "course_of_conduct_times" in errors(
        evaluate(FIRST, {**base, "course_of_conduct_times": 1})
    )
    assert "course_of_conduct_times" not in errors(
        evaluate(FIRST, {**base, "course_of_conduct_times": 2})
    )


def test_strangulation_without_medical_assessment_is_a_decision() -> None:
    ev = evaluate(FIRST, {"offences_disclosed": ["strangulation"], "strangulation_medical": "no"})
    assert "evidence_not_gathered" in kinds(ev)


# --- Orders in force and breaches -----------------------------------------------------------
def test_every_order_in_force_must_be_listed() -> None:
    ev = evaluate(FIRST, {}, WITH_ORDER)
    assert any("Restraining order" in i.message for i in ev.missing_required)
    filled = with_fact_entries(FIRST, {}, WITH_ORDER)
    assert filled["orders_in_force"] == [{"_id": "o-1", "order": ORDER["order"]}]
    ev = evaluate(FIRST, filled, WITH_ORDER)
    assert "orders_in_force[0].breached" in missing(ev)
    assert not any("not listed" in i.message for i in ev.missing_required)
    assert with_fact_entries(FIRST, filled, WITH_ORDER) == filled  # nothing added twice


def test_a_breach_leads_to_a_positive_action_decision() -> None:
    entry = {"_id": "o-1", "order": ORDER["order"], "breached": "yes"}
    ev = evaluate(FIRST, {"orders_in_force": [entry]}, WITH_ORDER)
    assert {"breach", "harm_indicator"} <= ev.flags
    assert {"orders_in_force[0].breach_action", "orders_in_force[0].breach_detail"} <= missing(ev)
    entry["breach_action"] = "no_action"
    ev = evaluate(FIRST, {"orders_in_force": [entry]}, WITH_ORDER)
    assert "breach_no_action" in kinds(ev)
    assert "orders_in_force[0].breach_action" in reasons(ev)
    entry["breach_action"] = "arrested"
    assert "breach_no_action" not in kinds(
        evaluate(FIRST, {"orders_in_force": [entry]}, WITH_ORDER)
    )


def test_orders_group_hidden_when_no_order_is_in_force() -> None:
    assert "orders_in_force" not in evaluate(FIRST, {}, {"live_orders": 0}).visible


# --- Evidence ---------------------------------------------------------------------------------
def test_the_officers_own_account_is_required() -> None:
    assert "officer_account" in missing(evaluate(FIRST, {}))


@pytest.mark.parametrize(
    ("item", "value"),
    [("digital_evidence", "not_gathered"), ("third_party_evidence", "not_gathered"),
     ("cctv", "not_checked"), ("photos_scene", "no"), ("house_to_house", "no"),
     ("call_recording_requested", "unknown")],
)  # fmt: skip
def test_evidence_not_gathered_is_a_decision(item: str, value: str) -> None:
    ev = evaluate(FIRST, {item: value})
    assert item in reasons(ev)
    assert ("evidence_not_gathered", item) in [(d.kind, d.item) for d in ev.decisions]


# --- Release, bail and protective notices ------------------------------------------------------
@pytest.mark.parametrize("outcome", ["bailed", "rui", "in_custody", "nfa", "not_arrested"])
def test_no_charge_asks_the_notice_tests_at_every_risk_level(outcome: str) -> None:
    ev = evaluate(FIRST, {"suspect_outcome": outcome})
    assert {"notice_scheme", "notice_test_violence", "notice_test_necessary", "notice_test_age",
            "notice_decision"} <= missing(ev)  # fmt: skip


@pytest.mark.parametrize("outcome", ["charged_remanded", "charged_bailed"])
def test_a_charge_asks_no_notice(outcome: str) -> None:
    assert "notice_decision" not in evaluate(FIRST, {"suspect_outcome": outcome}).visible


NOTICE_TESTS_MET = {
    "suspect_outcome": "not_arrested", "notice_scheme": "dvpn", "notice_test_violence": "yes",
    "notice_test_necessary": "yes", "notice_test_age": "yes",
}  # fmt: skip


def test_notice_tests_not_met_must_be_true_and_not_applying_is_a_decision() -> None:
    ev = evaluate(FIRST, {**NOTICE_TESTS_MET, "notice_decision": "tests_not_met"})
    assert "notice_decision" in errors(ev)
    ev = evaluate(FIRST, {**NOTICE_TESTS_MET, "notice_decision": "not_applied"})
    assert "protective_notice_not_sought" in kinds(ev) and "notice_decision" in reasons(ev)


def test_an_authorised_notice_records_authority_service_and_hearing() -> None:
    ev = evaluate(FIRST, {**NOTICE_TESTS_MET, "notice_decision": "authorised"})
    wanted = {"notice_authority", "notice_authority_rank", "notice_served_at", "order_hearing_at",
              "notice_terms"}  # fmt: skip
    assert wanted <= missing(ev) and "order_made" in ev.flags


@pytest.mark.parametrize(
    ("scheme", "rank", "ok"),
    [("dvpn", "inspector", False), ("dvpn", "superintendent", True),
     ("dapn", "inspector", True)],
)  # fmt: skip
def test_the_notice_needs_the_right_rank(scheme: str, rank: str, ok: bool) -> None:
    answers = {
        **NOTICE_TESTS_MET,
        "notice_scheme": scheme,
        "notice_decision": "authorised",
        "notice_authority": "SP1001 Superintendent",
        "notice_authority_rank": rank,
    }
    assert ("notice_authority_rank" not in errors(evaluate(FIRST, answers))) is ok


def test_bail_and_release_record_the_victims_views() -> None:
    ev = evaluate(FIRST, {"suspect_outcome": "bailed"})
    assert {"bail_conditions", "bail_until", "release_victim_views"} <= missing(ev)
    ev = evaluate(FIRST, {"suspect_outcome": "rui"})
    assert "release_victim_views" in missing(ev)
    assert "released_without_conditions" in kinds(ev) and "suspect_outcome" in reasons(ev)


def test_arrested_suspect_cannot_be_not_arrested() -> None:
    answers = {"grounds_for_arrest": "yes", "arrested": "yes", "suspect_outcome": "not_arrested"}
    assert "suspect_outcome" in errors(evaluate(FIRST, answers))


def test_skipping_the_risk_assessment_is_a_decision() -> None:
    assert "risk_assessment_not_done" in kinds(evaluate(FIRST, {"risk_checklist_done": "no"}))


# --- Domestic Abuse Act 2021 definition ---------------------------------------------------------
def test_relationships_follow_the_act() -> None:
    item = FIRST.item("relationship")
    assert item is not None
    wanted = {"agreed_to_marry", "shared_child", "married_civil", "intimate", "ex_intimate",
              "relative", "child_to_parent", "not_connected"}  # fmt: skip
    assert wanted == {v for v, _ in item.options}
    abuse = FIRST.item("abuse_types")
    assert abuse is not None and "economic" in {v for v, _ in abuse.options}


def test_not_personally_connected_is_a_decision() -> None:
    ev = evaluate(FIRST, {"relationship": "not_connected"})
    assert "not_domestic_abuse" in kinds(ev) and "domestic_abuse" not in ev.flags


def test_child_to_parent_abuse_under_16_goes_the_child_safeguarding_route() -> None:
    answers = {"relationship": "child_to_parent", "suspect_age_band": "under_16",
               "victim_age_band": "18_plus"}  # fmt: skip
    ev = evaluate(FIRST, answers)
    assert "child_safeguarding_route" in ev.flags and "domestic_abuse" not in ev.flags
    assert "age_route_note" in ev.visible
    assert "childrens_services" in {r.id for r in ev.referrals}
    ev = evaluate(FIRST, {**answers, "suspect_age_band": "18_plus"})
    assert "domestic_abuse" in ev.flags and "child_safeguarding_route" not in ev.flags


def test_a_victim_of_16_or_17_is_a_da_victim_and_a_child_to_safeguard() -> None:
    answers = {"relationship": "ex_intimate", "suspect_age_band": "18_plus",
               "victim_age_band": "16_17"}  # fmt: skip
    ev = evaluate(FIRST, answers)
    assert {"domestic_abuse", "victim_16_17"} <= ev.flags
    assert "childrens_services" in {r.id for r in ev.referrals}


# --- Risk -------------------------------------------------------------------------------------
def test_declining_the_risk_assessment_is_a_decision_with_a_reason() -> None:
    ev = evaluate(RISK, {"participation": "declined"})
    assert "risk_assessment_declined" in kinds(ev) and "risk_not_assessed" in ev.flags
    assert "participation_note" in missing(ev)


@pytest.mark.parametrize(
    "facts",
    [{"incidents_12m": 5}, {"previous_risk_level": "high"}, {"repeat_victim": True},
     {"on_marac": True}],
)  # fmt: skip
def test_the_history_never_sets_the_level(facts: dict[str, Any]) -> None:
    ev = evaluate(RISK, {"officer_level": "standard"}, facts)
    assert ev.computed["computed_risk_level"] == "standard" and ev.risk_level == "standard"
    assert "risk_lowered" not in kinds(ev)


def test_the_level_is_the_officers_judgement() -> None:
    assert "officer_level" in missing(evaluate(RISK, {}))
    assert evaluate(RISK, {"officer_level": "medium"}).risk_level == "medium"


@pytest.mark.parametrize(
    ("answers", "facts", "flag"),
    [
        ({f: "yes" for f in [i.id for i in RISK.items if "risk_factor" in i.tags][:14]}, {},
         "marac_visible_high_risk"),
        ({"officer_level": "high"}, {}, "marac_professional_judgement"),
        ({"officer_level": "standard"}, {"incidents_12m": 3}, "marac_escalation"),
        ({"officer_level": "standard"}, {"on_marac": True}, "marac_repeat"),
    ],
)  # fmt: skip
def test_marac_criteria(answers: dict[str, Any], facts: dict[str, Any], flag: str) -> None:
    ev = evaluate(RISK, answers, facts)
    assert flag in ev.flags and "marac" in {r.id for r in ev.referrals}
    assert "marac_referral" in missing(ev)
    quiet = evaluate(RISK, {"officer_level": "standard"}, {"incidents_12m": 2, "on_marac": False})
    assert "marac" not in {r.id for r in quiet.referrals}


def test_declining_marac_at_high_risk_needs_a_supervisors_authority() -> None:
    answers = {"officer_level": "high", "marac_referral": "no", "marac_referral.reason": "x"}
    ev = evaluate(RISK, answers)
    assert "marac_decline_authority" in missing(ev)
    ev = evaluate(RISK, {**answers, "marac_decline_authority": "agreed by the sergeant"})
    assert "marac_decline_authority" in errors(ev)
    ev = evaluate(RISK, {**answers, "marac_decline_authority": "SG3001 already listed next week"})
    assert not errors(ev)
    declined = next(d for d in ev.decisions if d.kind == "marac_declined_high_risk")
    assert declined.reason.startswith("SG3001")
    # at medium risk an escalation referral declined needs the supervisor too (issue 26)
    ev = evaluate(RISK, {**answers, "officer_level": "medium"}, {"incidents_12m": 3})
    assert "marac_decline_authority" in missing(ev)
    assert {"referral_declined", "marac_declined_high_risk"} <= set(kinds(ev))


@pytest.mark.parametrize("indicator", ["strangulation", "threats_to_kill", "weapon_used"])
def test_serious_harm_indicators_need_an_explicit_judgement(indicator: str) -> None:
    ev = evaluate(RISK, {indicator: "yes", "officer_level": "medium"})
    assert "serious_harm_judgement" in missing(ev)
    assert "risk_lowered" in kinds(ev) and "officer_level" in reasons(ev)
    ev = evaluate(RISK, {indicator: "yes", "officer_level": "high"})
    assert "risk_lowered" not in kinds(ev)


@pytest.mark.parametrize("item", ["hba_concern", "forced_marriage", "fgm", "multiple_perpetrators"])
def test_honour_based_abuse_brings_the_one_chance_rule(item: str) -> None:
    ev = evaluate(RISK, {item: "yes"})
    assert "honour_based" in ev.flags
    assert {"one_chance_note", "one_chance_kept"} <= ev.visible
    assert {"one_chance_kept", "hba_detail"} <= missing(ev)
    ev = evaluate(RISK, {item: "yes", "one_chance_kept": "no"})
    assert "one_chance_not_kept" in kinds(ev)


def test_hba_screening_questions_are_asked_of_everyone() -> None:
    assert {"hba_concern", "forced_marriage", "fgm", "multiple_perpetrators"} <= missing(
        evaluate(RISK, {})
    )


def test_others_threatening_the_victim_is_asked_the_right_way_round() -> None:
    item = RISK.item("others_threatening")
    assert item is not None and "risk_factor" in item.tags
    assert "threats against the victim" in item.label and "afraid of the abuser" not in item.label
    assert RISK.item("others_at_risk") is None
    # an answer to the old, reversed question is not counted
    ev = evaluate(RISK, {"others_at_risk": "yes"})
    assert ev.computed["risk_factor_count"] == 0


DASH_PHRASES = [
    "threatened to hurt or kill", "used a weapon or an object to hurt", "extremely jealous",
    "ever hurt a child", "separated, or tried to", "conflict over seeing or looking after",
    "threatened or afraid of the abuser",
]  # fmt: skip


def test_the_six_near_licensed_questions_are_in_the_projects_own_words() -> None:
    ids = ["threatened_children", "weapon_used", "controlling", "harmed_children",
           "recent_separation", "child_contact_dispute"]  # fmt: skip
    for item_id in ids:
        item = RISK.item(item_id)
        assert item is not None and "risk_factor" in item.tags
        assert not any(p in item.label for p in DASH_PHRASES), item.label


#: Phrases too close to the licensed DASH text (issue 26): none may appear in any label.
NEAR_DASH = ["broken bail conditions, an order or a contact agreement", "(step-children)",
             "afraid of anyone else"]  # fmt: skip
#: The risk factors in the licensed checklist's own order (our ids).
DASH_ORDER = [
    "injured_now", "very_frightened", "fears_worse", "cut_off", "low_mood",
    "recent_separation", "child_contact_dispute", "stalking", "pregnant_or_new_baby",
    "children_not_abusers", "harmed_children", "threatened_children", "more_often",
    "getting_worse", "controlling", "weapon_used", "threats_to_kill", "strangulation",
    "sexual_abuse", "others_threatening", "hurt_others", "animals", "money_problems",
    "substances_mental_health", "abuser_suicidal", "breached_conditions", "violent_history",
    "hba_concern",
]  # fmt: skip


def test_no_near_dash_phrase_remains_and_the_order_is_our_own() -> None:
    labels = [i.label for i in RISK.items]
    assert not [p for p in NEAR_DASH if any(p in label for label in labels)]
    ours = [i.id for i in RISK.items if "risk_factor" in i.tags]
    assert sorted(ours) == sorted(DASH_ORDER)
    licensed_pairs = set(pairwise(DASH_ORDER))
    assert [pair for pair in pairwise(ours) if pair in licensed_pairs] == []


# --- THRIVE: "not known" is never the safe answer -------------------------------------------------
@pytest.mark.parametrize(
    ("item", "worse"),
    [("caller_can_talk", "no"), ("happening_now", "yes"), ("suspect_present", "yes"),
     ("weapons", "yes"), ("threats_to_kill", "yes"), ("strangulation", "yes"),
     ("children_present", "yes"), ("injuries", "yes"), ("suspect_workforce", "yes"),
     ("honour_abuse", "yes")],
)  # fmt: skip
def test_not_known_sets_the_same_floor_as_the_worse_answer(item: str, worse: str) -> None:
    unknown = evaluate(THRIVE, {**CALM, item: "unknown"}).grade_floor
    bad = evaluate(THRIVE, {**CALM, item: worse}).grade_floor
    calm = evaluate(THRIVE, CALM).grade_floor
    assert unknown == bad and bad is not None and calm is not None
    assert bad.urgency > calm.urgency


def test_the_validator_refuses_a_floor_where_not_known_is_safe(tmp_path: Path) -> None:
    copy = tmp_path / "thrive.toml"
    shutil.copy(REPO / "checklists" / "thrive.toml", copy)
    text = copy.read_text("utf-8").replace(
        'when = { answer = "caller_can_talk", in = ["no", "unknown"] }',
        'when = { answer = "caller_can_talk", equals = "no" }',
    )
    copy.write_text(text, "utf-8")
    _, problems = check_file(copy)
    assert len(problems) == 1 and "not known" in problems[0].reason
    assert (
        problems[0].line
        == text.splitlines().index('when = { answer = "caller_can_talk", equals = "no" }') + 1
    )


# --- The engine: groups filled from a fact ------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[items]]\nid = "t"\ntype = "text"\nlabel = "T"\nentries_from = "known"\n',
         "only a group can take 'entries_from'"),
        ('[[items]]\nid = "g"\ntype = "group"\nlabel = "G"\nentries_from = "nosuch"\n'
         '[[items.items]]\nid = "c"\ntype = "text"\nlabel = "C"\n',
         "unknown fact 'nosuch'"),
    ],
)  # fmt: skip
def test_entries_from_is_checked(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "demo.toml"
    path.write_text('id = "demo"\nversion = "1"\ntitle = "D"\nfacts = ["known"]\n' + extra)
    _, problems = check_file(path)
    assert any(message in p.reason for p in problems), problems


def test_a_group_filled_from_a_fact_ignores_malformed_entries(tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(
        'id = "demo"\nversion = "1"\ntitle = "D"\nfacts = ["known"]\n'
        '[[items]]\nid = "g"\ntype = "group"\nlabel = "G"\nentries_from = "known"\n'
        '[[items.items]]\nid = "c"\ntype = "text"\nlabel = "C"\nrequired = true\n'
    )
    cl = load_checklist(path)
    facts = {"known": [{"id": "a", "c": "first", "other": 1}, {"no_id": 1}, "junk"]}
    assert with_fact_entries(cl, {}, facts) == {"g": [{"_id": "a", "c": "first"}]}
    assert not evaluate(cl, with_fact_entries(cl, {}, facts), facts).missing_required
    assert evaluate(cl, {}, {"known": "junk"}).complete


# --- Old answers still load ---------------------------------------------------------------------
OLD_FIRST = {  # answers stored against first_response 1.1
    "arrived_at": "2025-11-01 22:10", "grounds_for_arrest": "yes", "offences": "Assault",
    "arrested": "no", "arrested.reason": "Left before arrival", "bwv_on": "yes",
    "safeguarding_actions": ["dvpn"], "children_present": "no",
}  # fmt: skip
OLD_RISK = {  # answers stored against risk 1.0
    "participation": "full", "others_at_risk": "yes", "strangulation": "yes",
    "dvpn_considered": "yes", "dvpn_outcome": "Refused", "officer_level": "medium",
}  # fmt: skip


def test_old_answers_evaluate_against_the_new_versions() -> None:
    first = evaluate(FIRST, OLD_FIRST)
    assert {"arrived_at", "grounds_for_arrest", "arrested"} <= first.visible
    assert "no_arrest" in kinds(first)
    assert not errors(first)
    assert {"offences_disclosed", "crime_recorded"} <= missing(first)  # asked on amendment
    lines = answer_lines(FIRST, OLD_FIRST)  # what a supervisor reads: nothing dropped
    assert any(line.endswith(": Assault") for line in lines)
    assert "  Reason: Left before arrival" in lines
    risk = evaluate(RISK, OLD_RISK)
    assert risk.risk_level == "medium" and risk.computed["risk_factor_count"] == 1
    assert "risk_lowered" in kinds(risk)  # strangulation now suggests high: the reason is asked
    assert not errors(risk)


# --- THRIVE (issue 26, the declarative part) -------------------------------------------------
@pytest.mark.parametrize(
    ("role", "item", "answer"),
    [("silent", "caller_can_talk", "yes"), ("child", "children_present", "no")],
)
def test_a_silent_call_or_a_child_caller_cannot_be_answered_away(
    role: str, item: str, answer: str
) -> None:
    ev = evaluate(THRIVE, {**CALM, "caller_role": role, item: answer})
    assert item in errors(ev)
    assert item not in errors(evaluate(THRIVE, {**CALM, "caller_role": "victim", item: answer}))


def test_ambulance_not_known_still_requests_one() -> None:
    ev = evaluate(THRIVE, {**CALM, "injuries": "yes", "medical_help": "unknown"})
    assert "ambulance" in {r.id for r in ev.referrals}
